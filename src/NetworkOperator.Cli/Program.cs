using NetworkOperator.Cli;

return await CliApplication.RunAsync(args);
