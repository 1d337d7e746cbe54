"""Layer 5: what users run (command line, config, output formats, files, server, batch, verify)."""
