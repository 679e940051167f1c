// Words of the sidebar's organisation (folders, pins, sort order, drafts).
import { z } from 'zod';

/** How the sidebar orders chats (and folders): latest activity first, or by name A–Z. */
export const ConversationSortSchema = z.enum(['activity', 'name']);
export type ConversationSort = z.infer<typeof ConversationSortSchema>;
