"""The conversation: what the assistant says to a message, given what it knows of the conversation."""
