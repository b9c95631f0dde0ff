import { Command } from "@commander-js/extra-typings";

export const completion = new Command("completion")
  .description("print a shell completion script for bash, zsh or fish")
  .argument("<shell>", "bash, zsh or fish")
  .addHelpText(
    "after",
    `
Examples:
  drill completion bash >> ~/.bashrc
  drill completion zsh > "\${fpath[1]}/_drill"      # then restart zsh
  drill completion fish > ~/.config/fish/completions/drill.fish`,
  )
  .action(async (shell, _options, command) => {
    // What the entry wired, read here so the script always names the commands drill has.
    const commands = (command.parent?.commands ?? []).map((c) => ({
      name: c.name(),
      description: c.description(),
      options: c.options.flatMap((o) => [o.long, o.short].filter((flag): flag is string => Boolean(flag))),
      takesPractice: c.registeredArguments.some((a) => /practice|^id$/.test(a.name())),
      takesRequirement: c.registeredArguments.some((a) => a.name() === "requirement"),
    }));
    (await import("../actions/completion.js")).runCompletionCommand(shell, commands);
  });
