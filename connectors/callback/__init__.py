"""The warm hand-over: a resident asks to be called back; the request goes only to the municipality."""
