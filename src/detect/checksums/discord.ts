// Discord bot tokens: `<base64(bot user id)>.<timestamp>.<hmac>`. The first segment must decode to a snowflake
// (17–20 digits), which tells a bot token from other dotted base64 text.
import { type Rng, randomString, registerGenerator } from '../samples.js';
import { registerChecksum } from './index.js';

export function validDiscordBotId(token: string): boolean {
  const first = token.split('.')[0] ?? '';
  const id = Buffer.from(first.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  return /^\d{17,20}$/.test(id);
}

export function makeDiscordBot(rng: Rng): string {
  const id = `1${randomString('0-9', 18, rng)}`;
  const first = Buffer.from(id).toString('base64').replace(/=+$/, '');
  return `${first}.${randomString('A-Za-z0-9_-', 6, rng)}.${randomString('A-Za-z0-9_-', 38, rng)}`;
}

registerChecksum({ name: 'discord-bot-id', validate: validDiscordBotId });
registerGenerator('discord-bot', (_arg, rng) => makeDiscordBot(rng));
