"""The activity log of workflows: who did what to which object, and when.

One shape for every workflow (a council's questionnaire, a match-making request, an
Expert Programme application, a review, a cycle): `activity_record` writes an entry,
`activity_for` reads an object's entries. Changes to published data are not here: their
history is django-simple-history's (`partnerships.history` reads it in words).
"""
