"""SMS and WhatsApp through Twilio Programmable Messaging."""
