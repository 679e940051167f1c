// The 10 000-message conversation that bench/bundle.ts times and e2e/long-conversation.spec.ts
// scrolls through: alternating questions and answers, every fifth answer with a code block and a
// table, beside a one-message "Short chat" to switch away to and back from.
import { fakeShim } from './fake-shim';

/** How many messages the long conversation holds. */
export const LONG_MESSAGES = 10_000;

/** Messages 0 … count - 1: a user question at each even index, the assistant's answer after it. */
export function longConversation(count = LONG_MESSAGES) {
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { role: 'user' as const, content: `Question ${i}: how does step ${i} work?` }
      : {
          role: 'assistant' as const,
          content:
            i % 10 === 1
              ? `Answer ${i} with code:\n\n\`\`\`ts\nexport function step${i}(x: number): number {\n  return x * ${i};\n}\n\`\`\`\n\n| a | b |\n|---|---|\n| ${i} | ${i + 1} |`
              : `Answer ${i}: **step ${i}** multiplies the input, see \`step${i}()\`.\n\n- first point\n- second point`,
        },
  );
}

/** The fake-api script for page.addInitScript, seeded with "Short chat" and "Ten thousand messages". */
export function longConversationShim(): Promise<string> {
  return fakeShim({
    conversations: [
      { title: 'Short chat', messages: [{ role: 'user', content: 'hi' }] },
      { title: 'Ten thousand messages', messages: longConversation() },
    ],
  });
}
