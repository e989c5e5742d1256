// Checkout: pick or add a shipping address, pick a test card, place the order.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { formatMoney } from '../money';
import { ActionError, describe, Empty, ErrorMessage, Loading } from '../components/Status';

const CheckoutQuery = graphql(`
  query CheckoutPage {
    cart {
      items {
        quantity
        product {
          id
          name
        }
      }
      subtotal {
        amount
        currency
      }
    }
    me {
      id
      addresses {
        id
        line1
        line2
        city
        region
        postalCode
        country
      }
    }
  }
`);

const AddAddressMutation = graphql(`
  mutation AddAddress($input: AddressInput!) {
    addAddress(input: $input) {
      id
    }
  }
`);

const CheckoutMutation = graphql(`
  mutation Checkout($input: CheckoutInput!) {
    checkout(input: $input) {
      id
      number
      status
    }
  }
`);

const CARDS = [
  { token: 'tok_visa', label: 'Visa — approved' },
  { token: 'tok_mastercard', label: 'Mastercard — approved' },
  { token: 'tok_chargeDeclined', label: 'Card declined' },
  { token: 'tok_insufficientFunds', label: 'Insufficient funds — declined' },
];

const units = (count: number) => `${count} ${count === 1 ? 'item' : 'items'}`;

function AddressForm({ onAdded }: { onAdded(id: string): void }) {
  const [addAddress, { loading, error }] = useMutation(AddAddressMutation);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    const input = {
      line1: value('line1'),
      line2: value('line2') || undefined,
      city: value('city'),
      region: value('region') || undefined,
      postalCode: value('postalCode'),
      country: value('country'),
    };
    const result = await addAddress({ variables: { input } }).catch(() => null);
    if (result?.data) {
      element.reset();
      onAdded(result.data.addAddress.id);
    }
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-labelledby="new-address-heading">
      <h3 id="new-address-heading">New address</h3>
      <label>
        Street address <input name="line1" required autoComplete="address-line1" />
      </label>
      <label>
        Apartment, suite (optional) <input name="line2" autoComplete="address-line2" />
      </label>
      <div className="row">
        <label>
          City <input name="city" required autoComplete="address-level2" />
        </label>
        <label>
          Region (optional) <input name="region" autoComplete="address-level1" />
        </label>
      </div>
      <div className="row">
        <label>
          Postal code <input name="postalCode" required autoComplete="postal-code" />
        </label>
        <label>
          Country code{' '}
          <input name="country" required defaultValue="US" maxLength={2} autoComplete="country" />
        </label>
      </div>
      {error && <p className="status error">{describe(error)}</p>}
      <button type="submit" disabled={loading}>
        {loading ? 'Saving…' : 'Save address'}
      </button>
    </form>
  );
}

export function Checkout() {
  const { data, loading, error, refetch } = useQuery(CheckoutQuery, { fetchPolicy: 'network-only' });
  const [addressId, setAddressId] = useState<string | null>(null);
  const [card, setCard] = useState('tok_visa');
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [checkout, placing] = useMutation(CheckoutMutation);
  const navigate = useNavigate();
  if (loading && !data) return <Loading what="checkout" />;
  const addresses = data?.me?.addresses ?? [];
  const chosen = addressId ?? addresses[0]?.id ?? null;
  const cart = data?.cart;
  const place = async (event: FormEvent) => {
    event.preventDefault();
    const result = await checkout({
      variables: { input: { idempotencyKey, paymentToken: card, shippingAddressId: chosen } },
    }).catch(() => null);
    if (result?.data) navigate(`/orders/${result.data.checkout.id}`);
  };
  return (
    <section aria-labelledby="checkout-heading" className="stack">
      <h1 id="checkout-heading">Checkout</h1>
      <ErrorMessage error={error} what="checkout" />
      {cart && cart.items.length === 0 ? (
        <Empty>
          Your cart is empty. <Link to="/search">Browse products</Link>
        </Empty>
      ) : (
        <div className="checkout">
          <div className="stack">
            <h2>Shipping address</h2>
            {addresses.length > 0 && (
              <fieldset>
                <legend>Ship to</legend>
                {addresses.map((address) => (
                  <label key={address.id} className="inline">
                    <input
                      type="radio"
                      name="address"
                      value={address.id}
                      checked={chosen === address.id}
                      onChange={() => setAddressId(address.id)}
                    />
                    {[
                      address.line1,
                      address.line2,
                      address.city,
                      address.region,
                      address.postalCode,
                      address.country,
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </label>
                ))}
              </fieldset>
            )}
            <AddressForm
              onAdded={(id) => {
                setAddressId(id);
                void refetch();
              }}
            />
          </div>
          <form className="stack" onSubmit={(e) => void place(e)} aria-labelledby="payment-heading">
            <h2 id="payment-heading">Payment</h2>
            <p className="note" id="card-help">
              This is a demo shop: no real card is charged. Choose one of the payment provider&apos;s test
              tokens — <code>tok_visa</code> and <code>tok_mastercard</code> are approved,{' '}
              <code>tok_chargeDeclined</code> and <code>tok_insufficientFunds</code> are declined (your cart
              is kept so you can try another).
            </p>
            <label>
              Test card
              <select value={card} onChange={(e) => setCard(e.target.value)} aria-describedby="card-help">
                {CARDS.map((option) => (
                  <option key={option.token} value={option.token}>
                    {option.label} ({option.token})
                  </option>
                ))}
              </select>
            </label>
            {cart && (
              <p className="total">
                {units(cart.items.reduce((sum, item) => sum + item.quantity, 0))} · subtotal{' '}
                <strong>{formatMoney(cart.subtotal)}</strong> (tax and shipping added at checkout)
              </p>
            )}
            <ActionError error={placing.error} />
            <button type="submit" disabled={placing.loading || !cart}>
              {placing.loading ? 'Placing order…' : 'Place order'}
            </button>
          </form>
        </div>
      )}
    </section>
  );
}
