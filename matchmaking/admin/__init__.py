"""The admin the LGA's staff broker match-making requests and run the Expert Programme in,
one module per job:

- `requests`: the match-making requests, their shortlist and notes; `request_workflow`
  the broker's panel and the actions on a request (status, shortlist, close, funding,
  partnership formed, merge, introductions);
- `expert_programme`: the assessment criteria and the applications, scored, awarded or
  declined, and their outcomes;
- `budgets`: each financial year's budget and what is committed against it.

Every action goes through `matchmaking.services`, which checks it is allowed and records
it in the activity log (`core.activity`, whose admin lists every entry).
`sharedmap.apps.AdminConfig.ADMIN_MODULES` lists these modules.
"""
