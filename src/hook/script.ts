// The native pre-commit hook keyscope writes: POSIX sh, no dependency beyond keyscope itself.
// It runs the hook that was there before (kept as pre-commit.keyscope-chained) first, then `keyscope staged`,
// which lists the findings and how to proceed (see blockedCommitFooter).

export const HOOK_MARKER = '# keyscope-managed-hook';
export const CHAINED_NAME = 'pre-commit.keyscope-chained';

// Printed by `keyscope staged` itself (stderr, text format, exit 1), so the pre-commit framework shows it too.
export const HOW_TO_PROCEED = [
  'keyscope stopped this commit: the staged changes add the secret(s) listed above.',
  'How to proceed:',
  '  1. Remove the secret from the file (read it from an environment variable or a secret store instead),',
  '     then `git add` the file again and commit.',
  '  2. A false positive? Add a `keyscope:allow` comment on that line, `git add` the file, and commit.',
  '  3. Sure it is harmless and cannot edit the line? `git commit --no-verify` skips every hook; use it with care.',
  'If the key is real and was ever pushed or shared, revoke it at its issuer as well.',
];

export function blockedCommitFooter(): string {
  return `\n${HOW_TO_PROCEED.map((l) => `  ${l}`).join('\n')}\n`;
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface HookScriptOptions {
  node: string;
  cli: string;
  /** Extra arguments for `keyscope staged`. */
  args?: string[];
}

export function hookScript(o: HookScriptOptions): string {
  const args = (o.args ?? []).map(shQuote).join(' ');
  return `#!/bin/sh
${HOOK_MARKER} v1: installed by \`keyscope hook install\`; \`keyscope hook uninstall\` removes it and restores
# the hook that was here before (kept beside it as ${CHAINED_NAME}).
KEYSCOPE_NODE=${shQuote(o.node)}
KEYSCOPE_CLI=${shQuote(o.cli)}

# The earlier hook runs first; if it refuses the commit, that stands.
chained="$(dirname -- "$0")/${CHAINED_NAME}"
if [ -f "$chained" ]; then
  if [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
  else
    echo "keyscope hook: $chained is not executable; skipping it" >&2
  fi
fi

if [ -x "$KEYSCOPE_NODE" ] && [ -f "$KEYSCOPE_CLI" ]; then
  set -- "$KEYSCOPE_NODE" "$KEYSCOPE_CLI"
elif command -v keyscope >/dev/null 2>&1; then
  set -- keyscope
elif command -v npx >/dev/null 2>&1 && npx --no-install keyscope --version >/dev/null 2>&1; then
  set -- npx --no-install keyscope
else
  echo "keyscope hook: keyscope is not installed any more (was $KEYSCOPE_CLI)." >&2
  echo "Reinstall it and run \\\`keyscope hook install\\\`, or \\\`keyscope hook uninstall\\\` to remove this hook." >&2
  exit 1
fi

"$@" staged ${args}
status=$?
if [ "$status" -gt 1 ]; then
  echo "keyscope hook: keyscope failed (exit $status) and the commit was stopped; see the message above." >&2
  echo "Fix the cause, or \\\`git commit --no-verify\\\` to commit without any hook." >&2
fi
exit "$status"
`;
}

export function isKeyscopeHook(text: string): boolean {
  return text.includes(HOOK_MARKER);
}
