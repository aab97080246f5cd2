// Printing for machines, in a module of its own so a command can print without loading the workspace
// (render on a stamped tree: see render/stamp.ts).
// It takes only where to print, so it needs nothing from context.ts (which re-exports it).
/** Image names as --json gives every list of images: objects, so a field can join `name` later. */
export const imageList = (names: readonly string[]): { name: string }[] => names.map((name) => ({ name }));

export const printJson = (ctx: { out: (text: string) => void }, value: unknown) =>
  ctx.out(`${JSON.stringify(value, null, 2)}\n`);
