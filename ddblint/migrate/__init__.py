"""``ddblint migrate``: move an item set out of Terraform into data the application writes.

In: item sets from the analysis. Out: a plan of seed-data files, a boto3 seeding script and
Terraform ``removed`` blocks, and the report that tells the user what to do in which order.
"""
