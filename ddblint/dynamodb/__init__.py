"""DynamoDB's data model: typed item JSON, item sizes, and plain values.

Shared by the rules (DDB020-DDB023) and ``ddblint migrate``; it knows nothing of Terraform.
"""
