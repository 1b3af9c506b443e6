# One connector per database with for_each: each gets its own Lambda, registration and connection profile.
#
#   terraform init
#   terraform apply -var 'db_passwords={hr="...",sales="..."}'

terraform {
  required_version = ">= 1.4.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  description = "Region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "databases" {
  description = "The databases to connect, by short name (used in the connector label)."
  type = map(object({
    host     = string
    name     = string
    username = string
    port     = optional(number, 3306)
  }))
  default = {
    hr = {
      host     = "hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com"
      name     = "hr"
      username = "appflow_reader"
    }
    sales = {
      host     = "sales-db.cluster-def456.eu-west-1.rds.amazonaws.com"
      name     = "sales"
      username = "appflow_reader"
      port     = 3307
    }
  }

  # The role of label Mysql-hr may read the secrets appflow!<account>-Mysql-hr-*, which would include those of a
  # label Mysql-hr-eu: no key may be another key followed by "-".
  validation {
    condition     = alltrue([for a in keys(var.databases) : alltrue([for b in keys(var.databases) : !startswith(b, "${a}-")])])
    error_message = "No database key may be another key followed by \"-\" (hr and hr-eu): the connector of hr could read the secrets of hr-eu."
  }
}

variable "db_passwords" {
  description = "Database passwords, by the keys of databases."
  type        = map(string)
  sensitive   = true
}

module "mysql_connector" {
  source   = "../../terraform/appflow-mysql-connector"
  for_each = var.databases

  connector_label = "Mysql-${each.key}"
  db_host         = each.value.host
  db_port         = each.value.port
  db_name         = each.value.name
  db_username     = each.value.username
  db_password     = var.db_passwords[each.key]
}

output "connector_arns" {
  description = "ARNs of the registered connectors, by database."
  value       = { for name, connector in module.mysql_connector : name => connector.connector_arn }
}

output "profile_names" {
  description = "Connection profiles, by database."
  value       = { for name, connector in module.mysql_connector : name => connector.profile_name }
}
