import type { Command } from 'commander';

// Commands contributed by other modules. Each line registers one command; keep one per line so parallel edits merge.
export async function registerMore(program: Command): Promise<void> {
  const mods: { register: (p: Command) => void }[] = [];
  void mods;
  void program;
}
