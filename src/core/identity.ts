import type { TemplateContext } from '../policy/types.js';

/** What the core needs from the identity store (src/identity). */
export interface Identity {
  loginAlias(mount: { accessor: string; type: string; path: string }, alias: { name: string; metadata?: Record<string, string> }): Promise<{ entityId: string; aliasId: string }>;
  policiesFor(entityId: string): Promise<string[]>;
  templateContext(entityId: string): Promise<TemplateContext | undefined>;
  entityDisabled(entityId: string): Promise<boolean>;
}
