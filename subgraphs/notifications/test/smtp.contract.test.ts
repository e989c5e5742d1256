// Contract tests of the SMTP adapter: nodemailer against a real MailDev (what `npm start` runs),
// and against a tiny scripted SMTP server that refuses at RCPT or at the end of DATA, to check how
// SMTP replies and connection failures become ChannelErrors.
import net from 'node:net';
import { freePort, mailHeader, startMailDev, waitForMail, type LocalMailDev } from '@cloudmart/test-kit';
import type { EmailMessage } from '../src/services/channels/port';
import { SmtpEmailChannel } from '../src/services/channels/smtp';
import { closedAfterEach, failureOf } from './channel-contract';

const FROM = 'CloudMart <orders@cloudmart.example>';
const message = (overrides: Partial<EmailMessage> = {}): EmailMessage => ({
  to: 'ada@example.com',
  subject: 'Your order ORD-1 is on its way',
  html: '<p>Your order <b>ORD-1</b> has shipped.</p>',
  text: 'Your order ORD-1 has shipped.',
  messageId: 'ntf-1@cloudmart',
  ...overrides,
});

const opened = closedAfterEach<SmtpEmailChannel>();
const smtp = (url: string) => opened(new SmtpEmailChannel({ url, from: FROM }));

describe('SmtpEmailChannel against MailDev', () => {
  let maildev: LocalMailDev;
  beforeAll(async () => {
    maildev = await startMailDev();
  });
  afterAll(async () => {
    await maildev?.stop();
  });

  it('delivers subject, HTML, text and our Message-ID; the provider id is the queue id MailDev gave', async () => {
    const delivery = await smtp(maildev.smtpUrl).send(message({ messageId: 'ntf-42@cloudmart' }));

    const received = await waitForMail(
      maildev.apiUrl,
      (mail) => mailHeader(mail, 'message-id') === '<ntf-42@cloudmart>',
    );
    expect(received.subject).toBe('Your order ORD-1 is on its way');
    expect(received.html).toContain('Your order <b>ORD-1</b> has shipped.');
    expect(received.text?.trim()).toBe('Your order ORD-1 has shipped.');
    expect(received.to.map((to) => to.address)).toEqual(['ada@example.com']);
    expect(received.from).toEqual([{ address: 'orders@cloudmart.example', name: 'CloudMart' }]);
    expect(delivery.providerMessageId).toBe(received.id);
  });
});

/** What the scripted server saw, and how to stop it. */
interface ScriptedSmtp {
  url: string;
  commands: string[];
  /** The message bodies it received through DATA. */
  messages: string[];
  stop(): Promise<void>;
}

/**
 * A minimal SMTP server (RFC 5321's happy path, no extensions) that answers `reply` to RCPT TO or
 * to the end of DATA, and 250 to the rest.
 */
async function startRefusingSmtp(stage: 'RCPT' | 'DATA', reply: string): Promise<ScriptedSmtp> {
  const sockets = new Set<net.Socket>();
  const seen = { commands: [] as string[], messages: [] as string[] };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setEncoding('utf8');
    const answer = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let data: string[] | undefined;
    answer('220 refusing.test ESMTP');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line !== '.') {
            data.push(line);
            continue;
          }
          seen.messages.push(data.join('\r\n'));
          data = undefined;
          answer(stage === 'DATA' ? reply : '250 2.0.0 Ok: queued as SCRIPTED1');
          continue;
        }
        seen.commands.push(line);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') answer('250 refusing.test');
        else if (verb === 'HELO' || verb === 'MAIL' || verb === 'RSET' || verb === 'NOOP')
          answer('250 2.0.0 Ok');
        else if (verb === 'RCPT') answer(stage === 'RCPT' ? reply : '250 2.1.5 Ok');
        else if (verb === 'DATA') {
          data = [];
          answer('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          answer('221 2.0.0 Bye');
          socket.end();
        } else answer('502 5.5.2 Command not recognized');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    ...seen,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('SmtpEmailChannel failure classification', () => {
  const servers: ScriptedSmtp[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });
  const refusing = async (stage: 'RCPT' | 'DATA', reply: string) => {
    const server = await startRefusingSmtp(stage, reply);
    servers.push(server);
    return server;
  };

  it.each([
    ['RCPT', '451 4.7.1 Greylisted, try again later', true, '451'],
    ['RCPT', '550 5.1.1 No such user here', false, '550'],
    ['DATA', '451 4.3.0 Local error in processing', true, '451'],
    ['DATA', '554 5.7.1 Message rejected as spam', false, '554'],
  ] as const)('%s answered "%s" → retryable %s, code %s', async (stage, reply, retryable, code) => {
    const server = await refusing(stage, reply);

    const error = await failureOf(smtp(server.url).send(message()));

    expect(error).toMatchObject({ retryable, code });
    expect(error.message).toContain(reply);
    expect(server.commands.some((command) => command.startsWith('RCPT TO:<ada@example.com>'))).toBe(true);
    if (stage === 'DATA') {
      // The refusal came after the whole message, our Message-ID in it.
      expect(server.messages).toHaveLength(1);
      expect(server.messages[0]).toMatch(/^Message-ID: <ntf-1@cloudmart>$/m);
    } else {
      expect(server.commands).not.toContain('DATA');
    }
  });

  it('accepts a message the scripted server takes, with its queue id as the provider id', async () => {
    const server = await refusing('RCPT', '250 2.1.5 Ok');

    const delivery = await smtp(server.url).send(message());

    expect(delivery.providerMessageId).toBe('SCRIPTED1');
    expect(server.messages).toHaveLength(1);
  });

  it('reports a refused connection as retryable ECONNREFUSED', async () => {
    const port = await freePort(); // nothing listens there

    const error = await failureOf(smtp(`smtp://127.0.0.1:${port}`).send(message()));

    expect(error).toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
  });
});
