// The channel names the preload exposes, as plain strings: a sandboxed preload cannot load zod,
// so it cannot import the schema-carrying contract at run time. The type checks below make this
// list equal to the contract's channels in both directions, so the two cannot drift.
import type { EventChannel, InvokeChannel } from '../../src-shared/ipc/contract';

export const invokeChannelNames = [
  'app:info',
  'app:unlock',
  'conversations:list',
  'conversations:get',
  'conversations:create',
  'conversations:rename',
  'conversations:update',
  'conversations:delete',
  'conversations:restore',
  'conversations:search',
  'conversations:export',
  'conversations:import',
  'conversations:clear',
  'conversations:showVersion',
  'conversations:deleteMessage',
  'conversations:exportChat',
  'conversations:markdown',
  'conversations:importChat',
  'chat:send',
  'chat:stop',
  'chat:regenerate',
  'chat:edit',
  'chat:models',
  'servers:list',
  'servers:add',
  'servers:update',
  'servers:remove',
  'servers:activate',
  'servers:probe',
  'servers:trustNode',
  'servers:untrustNode',
  'servers:setTrustPolicy',
  'trust:pending',
  'trust:answer',
  'relay:status',
  'relay:setEnabled',
  'node:status',
  'node:configure',
  'node:start',
  'node:stop',
  'node:detect',
  'models:list',
  'models:download',
  'models:addFromUrl',
  'models:pause',
  'models:resume',
  'models:cancel',
  'models:import',
  'models:delete',
  'models:use',
  'settings:get',
  'settings:update',
  'gateway:status',
  'gateway:setEnabled',
  // The sidebar's organisation (issue 14).
  'workspace:get',
  'workspace:createFolder',
  'workspace:renameFolder',
  'workspace:deleteFolder',
  'workspace:setCollapsed',
  'workspace:move',
  'workspace:setPinned',
  'workspace:setSort',
  'workspace:drafts',
  'workspace:saveDraft',
  'shell:openExternal',
] as const satisfies readonly InvokeChannel[];

export const eventChannelNames = ['events:chat', 'events:servers', 'events:relay', 'events:node', 'events:trust', 'events:models', 'events:window'] as const satisfies readonly EventChannel[];

// Fails to compile when the contract gains a channel this list lacks.
type Exhaustive<Listed, All> = [Exclude<All, Listed>] extends [never] ? true : { missing: Exclude<All, Listed> };
const invokeListIsComplete: Exhaustive<(typeof invokeChannelNames)[number], InvokeChannel> = true;
const eventListIsComplete: Exhaustive<(typeof eventChannelNames)[number], EventChannel> = true;
void invokeListIsComplete;
void eventListIsComplete;
