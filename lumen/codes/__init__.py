"""One-time codes by email: the job that mails a shopper's code, and the engine's way to ask.

``actions`` gives the conversation engine its CodeSender (the request is enqueued once the turn
commits, sealed so Redis never holds the address in clear); ``jobs`` looks the address's orders
up and mails the code only when there are some; ``message`` builds that email. The flow itself
(limits, the challenge, the order list) is ``lumen.conversation.codes``.
"""
