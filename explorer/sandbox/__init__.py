"""The embedded Sandbox: a local simulator of the Thumbtack Partner API v4. Never imports Qt."""
