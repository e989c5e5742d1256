// The local SMS path end to end: a text through SmsOverEmail and the SMTP adapter shows up in a
// real MailDev's inbox, addressed to the number.
import { mailHeader, readInbox, startMailDev, waitForMail, type LocalMailDev } from '@cloudmart/test-kit';
import { SmsOverEmail } from '../src/services/channels/sms-over-email';
import { SmtpEmailChannel } from '../src/services/channels/smtp';

let maildev: LocalMailDev;
let email: SmtpEmailChannel;
beforeAll(async () => {
  maildev = await startMailDev();
  email = new SmtpEmailChannel({ url: maildev.smtpUrl, from: 'CloudMart <sms@cloudmart.example>' });
});
afterAll(async () => {
  await email?.close();
  await maildev?.stop();
});

describe('SmsOverEmail', () => {
  it('shows a text in MailDev to <digits>@sms.localhost, the body as text and escaped HTML', async () => {
    const body = 'CloudMart: order ORD-7 shipped <today> & arrives Friday.';
    const sms = new SmsOverEmail(email);

    const delivery = await sms.send({ to: '+14155550123', body });

    const received = await waitForMail(maildev.apiUrl, (mail) =>
      mail.to.some((to) => to.address === '14155550123@sms.localhost'),
    );
    expect(received.subject).toBe('SMS to +14155550123');
    expect(received.text?.trim()).toBe(body);
    expect(received.html).toContain(
      '<pre>CloudMart: order ORD-7 shipped &lt;today&gt; &amp; arrives Friday.</pre>',
    );
    expect(delivery.providerMessageId).toBe(received.id);
  });

  it('gives the same text to the same number the same Message-ID, and another text another one', async () => {
    const sms = new SmsOverEmail(email);
    const to = '+447700900123';

    await sms.send({ to, body: 'Your code is 1234' });
    await sms.send({ to, body: 'Your code is 1234' });
    await sms.send({ to, body: 'Your code is 5678' });

    await waitForMail(maildev.apiUrl, (mail) => mail.text?.trim() === 'Your code is 5678');
    const texts = (await readInbox(maildev.apiUrl)).filter((mail) =>
      mail.to.some((address) => address.address === '447700900123@sms.localhost'),
    );
    expect(texts).toHaveLength(3);
    const ids = texts.map((mail) => mailHeader(mail, 'message-id'));
    expect(ids[0]).toMatch(/^<sms-447700900123-[0-9a-f]{32}@sms\.localhost>$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });
});
