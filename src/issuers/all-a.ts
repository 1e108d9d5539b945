// Issuer modules, batch A. Append one import and one array entry per module.
import { jwt } from './jwt.js';
import { sendgrid } from './sendgrid.js';
import type { IssuerModule } from './types.js';

export const modulesA: IssuerModule[] = [jwt, sendgrid];
