import type { EngineFactory } from '../framework/index.js';
import { approleAuth } from './approle/index.js';
import { userpassAuthMethod } from './userpass/index.js';

/** The auth methods built into Ward, by mount type (`ward auth enable <type>`). */
export const builtinAuthMethods: EngineFactory[] = [approleAuth, userpassAuthMethod];
