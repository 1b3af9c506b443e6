# Plans this example against a mocked AWS provider: for_each must yield two independent connectors.
# Run from examples/multiple-connectors: terraform init && terraform test

# Data sources the provider would compute get realistic values: resources validate ARNs and policy JSON.
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  db_passwords = { hr = "not-a-real-password", sales = "not-a-real-password-either" }
}

run "one_connector_per_database" {
  command = plan

  assert {
    condition     = toset(keys(module.mysql_connector)) == toset(["hr", "sales"])
    error_message = "There must be one connector per database."
  }
  assert {
    condition     = module.mysql_connector["hr"].function_name == "appflow-Mysql-hr" && module.mysql_connector["sales"].function_name == "appflow-Mysql-sales"
    error_message = "Each connector gets its own Lambda function."
  }
  assert {
    condition     = module.mysql_connector["hr"].profile_name == "Mysql-hr-profile" && module.mysql_connector["sales"].profile_name == "Mysql-sales-profile"
    error_message = "Each connector gets its own connection profile."
  }
}

run "refuses_labels_that_prefix_each_other" {
  command = plan

  variables {
    databases = {
      hr    = { host = "hr-db.example.internal", name = "hr", username = "appflow_reader" }
      hr-eu = { host = "hr-eu-db.example.internal", name = "hr", username = "appflow_reader" }
    }
    db_passwords = { hr = "not-a-real-password", hr-eu = "not-a-real-password-either" }
  }

  expect_failures = [var.databases]
}
