"""Web chat: the embeddable widget (/widget.js), its WebSocket, settings and the demo shop."""
