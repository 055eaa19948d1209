"""What every page shares: security headers and input checks, error pages, downloads."""
