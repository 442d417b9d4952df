using Switchyard.Cli;

return await SwitchyardCli.RunAsync(args);

/// <summary>The program entry point.</summary>
public partial class Program;
