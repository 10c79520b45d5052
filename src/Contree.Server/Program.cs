using Contree.Server.Hosting;

return await ServerEntryPoint.RunAsync(args);
