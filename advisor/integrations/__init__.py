"""Surfaces that meet users where they work (MCP server, CycloneDX ML-BOM, the wizard in a
browser). Each imports its third-party library itself; the headless core never imports this
package, and the CLI imports a module only when its command runs."""
