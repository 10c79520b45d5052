using Contree.Bench;

return await BenchProgram.MainAsync(args);
