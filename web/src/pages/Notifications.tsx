import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { formatDate, statusLabel } from '../money';
import { ActionError, Empty, ErrorMessage, Loading } from '../components/Status';

const MyNotificationsQuery = graphql(`
  query MyNotifications {
    me {
      id
      notificationPreferences {
        email
        sms
        phoneNumber
      }
      notifications(first: 20) {
        edges {
          node {
            id
            kind
            channel
            status
            subject
            createdAt
            sentAt
            order {
              id
            }
          }
        }
      }
    }
  }
`);

const UpdatePreferencesMutation = graphql(`
  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) {
      email
      sms
      phoneNumber
    }
  }
`);

/** The signed-in user's notification settings (texts opt-in, phone number) and what was sent to them. */
export function Notifications() {
  const { data, loading, error } = useQuery(MyNotificationsQuery, { fetchPolicy: 'cache-and-network' });
  const preferences = data?.me?.notificationPreferences;
  const notifications = data?.me?.notifications.edges.map((edge) => edge.node) ?? [];
  const [sms, setSms] = useState(false);
  const [phoneNumber, setPhoneNumber] = useState('');
  const [saved, setSaved] = useState(false);
  const [update, updating] = useMutation(UpdatePreferencesMutation);
  useEffect(() => {
    if (!preferences) return;
    setSms(preferences.sms);
    setPhoneNumber(preferences.phoneNumber ?? '');
  }, [preferences]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const number = phoneNumber.trim();
    const result = await update({
      variables: { input: { sms, phoneNumber: number === '' ? null : number } },
    }).catch(() => null);
    if (result?.data) {
      setPhoneNumber(result.data.updateNotificationPreferences.phoneNumber ?? '');
      setSaved(true);
    }
  };

  return (
    <section aria-labelledby="notifications-heading" className="stack">
      <h1 id="notifications-heading">Notifications</h1>
      <ErrorMessage error={error} what="your notifications" />
      {loading && !data && <Loading what="your notifications" />}
      {preferences && (
        <form className="stack narrow" onSubmit={(e) => void submit(e)} aria-labelledby="preferences-heading">
          <h2 id="preferences-heading">How we tell you about your orders</h2>
          <p>Order emails (confirmation, shipping, delivery, refunds) always go to your account's email.</p>
          <label className="inline">
            <input type="checkbox" checked={sms} onChange={(e) => setSms(e.target.checked)} /> Also text me
            about my orders
          </label>
          <label>
            Mobile number{' '}
            <input
              type="tel"
              autoComplete="tel"
              placeholder="+1 415 555 0123"
              aria-describedby="phone-hint"
              value={phoneNumber}
              onChange={(e) => setPhoneNumber(e.target.value)}
            />
          </label>
          <p id="phone-hint" className="status">
            With + and your country code.
          </p>
          <ActionError error={updating.error} />
          {saved && !updating.error && (
            <p role="status" className="status">
              Saved.
            </p>
          )}
          <button type="submit" disabled={updating.loading}>
            {updating.loading ? 'Saving…' : 'Save'}
          </button>
        </form>
      )}
      {data && (
        <section aria-labelledby="sent-heading">
          <h2 id="sent-heading">Sent to you</h2>
          {notifications.length === 0 ? (
            <Empty>Nothing yet: you will see each order email and text here.</Empty>
          ) : (
            <table>
              <caption className="visually-hidden">The latest emails and texts about your orders</caption>
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">By</th>
                  <th scope="col">Status</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {notifications.map((notification) => (
                  <tr key={notification.id}>
                    <td>
                      <Link to={`/orders/${notification.order.id}`}>{notification.subject}</Link>
                    </td>
                    <td>{notification.channel === 'SMS' ? 'Text' : 'Email'}</td>
                    <td>{statusLabel(notification.status)}</td>
                    <td>{formatDate(notification.sentAt ?? notification.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </section>
  );
}
