"""The embedded Sandbox: a local simulator of the Thumbtack Partner API v4.

It owns a real HTTP server on 127.0.0.1 (:mod:`explorer.sandbox.server`), its own OAuth 2.0
authorization server (:mod:`explorer.sandbox.oauth`), deterministic fixture data
(:mod:`explorer.sandbox.fixtures`, :mod:`explorer.sandbox.state`), the documented errors
(:mod:`explorer.sandbox.problems`), fault injection (:mod:`explorer.sandbox.faults`) and
webhook delivery (:mod:`explorer.sandbox.webhooks`).

Importing this package is cheap: it imports nothing; import the submodule you need.
It never imports Qt or :mod:`explorer.ui` (an import-linter contract checks this).
"""
