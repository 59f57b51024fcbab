"""ddblint: find aws_dynamodb_table_item misuse in Terraform before it ships."""

__version__ = "0.1.0"
