"""Section builders: one module per report section (the hook for new capabilities)."""
