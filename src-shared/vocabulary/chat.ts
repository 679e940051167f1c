// Words of a chat: who speaks, what became of a message, and the phases of waiting for an answer.
import { z } from 'zod';

/** Roles of the inner request's messages (docs/protocol.md §2.3.1). */
export const MessageRoleSchema = z.enum(['system', 'user', 'assistant']);
export type MessageRole = z.infer<typeof MessageRoleSchema>;
export const MESSAGE_ROLES = MessageRoleSchema.options;

/** Roles of a stored conversation's messages (the system prompt is kept apart). */
export const ConversationRoleSchema = MessageRoleSchema.exclude(['system']);
export type ConversationRole = z.infer<typeof ConversationRoleSchema>;

export const MessageStatusSchema = z.enum(['complete', 'pending', 'error', 'stopped']);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

/** Phases a node reports in encrypted progress updates (§2.3.4). */
export const ProgressPhaseSchema = z.enum(['preparing', 'prefill', 'generating']);
export type ProgressPhase = z.infer<typeof ProgressPhaseSchema>;
export const PROGRESS_PHASES = ProgressPhaseSchema.options;

/**
 * What the app shows while an answer is on its way: the client's own steps (`confirming_node`:
 * waiting for the user to confirm a node key before anything is sent), then the node's phases.
 */
export const ChatPhaseSchema = z.enum(['finding_node', 'confirming_node', 'submitting', 'queued', ...PROGRESS_PHASES]);
export type ChatPhase = z.infer<typeof ChatPhaseSchema>;
