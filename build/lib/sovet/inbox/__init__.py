"""The comment inbox: readers' submissions from form exports and email, reviewed, published.

formats (forms.py, mail.py, htmltext.py, text.py) -> submission.py -> spam.py -> store.py
(inbox/ files) -> review.py (accept, reject, restore) -> commands.py (the command line) and
page.py and actions.py (/_inbox/ in serve).
"""
