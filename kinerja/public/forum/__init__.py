"""The citizens' forum: participants sign up with a confirmed e-mail address, open topics about a
unit or one of its services and reply; new participants' posts wait for moderation, readers
report posts, and the unit gives official answers.
"""
