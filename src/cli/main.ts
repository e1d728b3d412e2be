// The `shape-lens` command line: analyse PyTorch model files and print tables or the JSON report.
process.stdout.write("shape-lens: not yet implemented\n");
