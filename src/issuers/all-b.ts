// Issuer modules, batch B. Append one import and one array entry per module.
import type { IssuerModule } from './types.js';

export const modulesB: IssuerModule[] = [];
