// Issuer modules, batch A. Append one import and one array entry per module.
import { aws } from './aws.js';
import { gcp } from './gcp.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { google } from './google.js';
import { jwt } from './jwt.js';
import { sendgrid } from './sendgrid.js';
import { slack } from './slack.js';
import type { IssuerModule } from './types.js';

export const modulesA: IssuerModule[] = [jwt, sendgrid, github, gitlab, slack, aws, gcp, google];
