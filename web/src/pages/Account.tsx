import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { useAuth } from '../auth';
import { ActionError } from '../components/Status';

const LogInMutation = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      token
    }
  }
`);

const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      token
    }
  }
`);

export function LogIn() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [logIn, { loading, error }] = useMutation(LogInMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await logIn({ variables: { email, password } }).catch(() => null);
    if (result?.data) {
      signIn(result.data.logIn.token);
      navigate('/');
    }
  };
  return (
    <form className="stack narrow" onSubmit={(e) => void submit(e)} aria-labelledby="login-heading">
      <h1 id="login-heading">Log in</h1>
      <label>
        Email{' '}
        <input
          type="email"
          required
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label>
        Password{' '}
        <input
          type="password"
          required
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <ActionError error={error} />
      <button type="submit" disabled={loading}>
        {loading ? 'Logging in…' : 'Log in'}
      </button>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </form>
  );
}

export function SignUp() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signUp, { loading, error }] = useMutation(SignUpMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await signUp({ variables: { input: { name, email, password } } }).catch(() => null);
    if (result?.data) {
      signIn(result.data.signUp.token);
      navigate('/');
    }
  };
  return (
    <form className="stack narrow" onSubmit={(e) => void submit(e)} aria-labelledby="signup-heading">
      <h1 id="signup-heading">Create an account</h1>
      <label>
        Name <input required autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Email{' '}
        <input
          type="email"
          required
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label>
        Password (at least 8 characters){' '}
        <input
          type="password"
          required
          minLength={8}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <ActionError error={error} />
      <button type="submit" disabled={loading}>
        {loading ? 'Creating…' : 'Sign up'}
      </button>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </form>
  );
}
