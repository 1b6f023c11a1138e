/**
 * The current folder, checked before any other module loads: yargs asks for it as it is imported,
 * and a folder deleted under the shell (`mkdir d; cd d; rmdir ../d`) made every command, --version
 * too, end in a stack trace (the environment audit). program.ts imports this module first.
 */
try {
  process.cwd();
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code ?? String(err);
  process.stderr.write(`agentsim: the current folder is gone (${code}): cd to a folder that exists\n`);
  process.exit(2);
}
