// The support chat: the assistant can look up the shopper's orders, explain returns, open tickets.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { formatDate, statusLabel } from '../money';
import { ActionError, Empty, ErrorMessage, Loading } from '../components/Status';

const AskSupportMutation = graphql(`
  mutation AskSupport($message: String!, $conversationId: ID) {
    askSupport(message: $message, conversationId: $conversationId) {
      conversationId
      answer
      actions {
        tool
        outcome
        detail
      }
      ticket {
        id
        number
      }
    }
  }
`);

const MyTicketsQuery = graphql(`
  query MyTickets {
    myTickets {
      id
      number
      summary
      status
      updatedAt
    }
  }
`);

interface Line {
  from: 'you' | 'assistant';
  text: string;
}

export function Support() {
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [message, setMessage] = useState('');
  const [ask, { loading, error }] = useMutation(AskSupportMutation);
  const tickets = useQuery(MyTicketsQuery, { fetchPolicy: 'cache-and-network' });
  const send = async (event: FormEvent) => {
    event.preventDefault();
    const text = message.trim();
    if (!text) return;
    setLines((previous) => [...previous, { from: 'you', text }]);
    setMessage('');
    const result = await ask({ variables: { message: text, conversationId } }).catch(() => null);
    if (result?.data) {
      const reply = result.data.askSupport;
      setConversationId(reply.conversationId);
      const notes = reply.actions.map((action) => action.detail);
      setLines((previous) => [...previous, { from: 'assistant', text: [reply.answer, ...notes].join('\n') }]);
      if (reply.ticket) void tickets.refetch();
    }
  };
  return (
    <div className="support">
      <section aria-labelledby="chat-heading" className="chat">
        <h1 id="chat-heading">Help</h1>
        <p className="muted">Ask about an order (e.g. “where is order CM-…”), returns, or anything else.</p>
        <ol className="messages" aria-live="polite">
          {lines.map((line, index) => (
            <li key={index} className={`message ${line.from}`}>
              <span className="visually-hidden">{line.from === 'you' ? 'You:' : 'Assistant:'}</span>
              {line.text}
            </li>
          ))}
          {loading && (
            <li className="message assistant" role="status">
              Typing…
            </li>
          )}
        </ol>
        <ActionError error={error} />
        <form className="inline-form" onSubmit={(e) => void send(e)}>
          <label htmlFor="support-message" className="visually-hidden">
            Your message
          </label>
          <input
            id="support-message"
            value={message}
            maxLength={2000}
            onChange={(e) => setMessage(e.target.value)}
            placeholder="Type your question"
          />
          <button type="submit" disabled={loading || !message.trim()}>
            Send
          </button>
        </form>
      </section>
      <section aria-labelledby="tickets-heading">
        <h2 id="tickets-heading">Your tickets</h2>
        <ErrorMessage error={tickets.error} what="your tickets" />
        {tickets.loading && !tickets.data && <Loading what="tickets" />}
        {tickets.data?.myTickets.length === 0 && <Empty>No tickets.</Empty>}
        <ul className="plain">
          {tickets.data?.myTickets.map((ticket) => (
            <li key={ticket.id}>
              <strong>{ticket.number}</strong> {ticket.summary} — {statusLabel(ticket.status)}{' '}
              <span className="muted">({formatDate(ticket.updatedAt)})</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
