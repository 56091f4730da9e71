resource "aws_vpc" "eu_central_1" {
  provider             = aws.eu_central_1
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {
    Name = "${local.name}-eu-central-1"
  }
}

resource "aws_default_security_group" "eu_central_1" {
  provider = aws.eu_central_1
  vpc_id   = aws_vpc.eu_central_1.id
}

resource "aws_cloudwatch_log_group" "eu_central_1_flow_logs" {
  provider          = aws.eu_central_1
  name              = "/aws/vpc/${local.name}-eu-central-1"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.eu_central_1.arn
}

data "aws_iam_policy_document" "eu_central_1_flow_logs" {
  statement {
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams"
    ]
    resources = [
      "${aws_cloudwatch_log_group.eu_central_1_flow_logs.arn}:*"
    ]
  }
}

resource "aws_iam_role_policy" "eu_central_1_flow_logs" {
  provider = aws.eu_central_1
  role     = aws_iam_role.flow_logs.id
  policy   = data.aws_iam_policy_document.eu_central_1_flow_logs.json
}

resource "aws_flow_log" "eu_central_1" {
  provider        = aws.eu_central_1
  vpc_id          = aws_vpc.eu_central_1.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.eu_central_1_flow_logs.arn
  iam_role_arn    = aws_iam_role.flow_logs.arn
}

resource "aws_network_acl" "sosisochnaya_eu_acl" {
  provider = aws.eu_central_1
  vpc_id   = aws_vpc.eu_central_1.id
  subnet_ids = [
    aws_subnet.sosisochnaya_eu_a.id,
    aws_subnet.sosisochnaya_eu_b.id,
    aws_subnet.sosisochnaya_eu_c.id
  ]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.20.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.10.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 400
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 3388
  }

  ingress {
    rule_no    = 401
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 3390
    to_port    = 65535
  }

  ingress {
    rule_no    = 410
    action     = "allow"
    protocol   = "udp"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 3388
  }

  ingress {
    rule_no    = 411
    action     = "allow"
    protocol   = "udp"
    cidr_block = "0.0.0.0/0"
    from_port  = 3390
    to_port    = 65535
  }

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = {
    Name = "${local.name}-sosisochnaya-eu"
  }
}

resource "aws_network_acl" "sosisochnaya_eu_public_acl" {
  provider = aws.eu_central_1
  vpc_id   = aws_vpc.eu_central_1.id
  subnet_ids = [
    aws_subnet.sosisochnaya_eu_public_a.id,
    aws_subnet.sosisochnaya_eu_public_b.id,
    aws_subnet.sosisochnaya_eu_public_c.id
  ]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.20.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.10.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 400
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 3388
  }

  ingress {
    rule_no    = 401
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 3390
    to_port    = 65535
  }

  ingress {
    rule_no    = 410
    action     = "allow"
    protocol   = "udp"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 3388
  }

  ingress {
    rule_no    = 411
    action     = "allow"
    protocol   = "udp"
    cidr_block = "0.0.0.0/0"
    from_port  = 3390
    to_port    = 65535
  }

  ingress {
    rule_no    = 300
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }

  ingress {
    rule_no    = 310
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 80
    to_port    = 80
  }

  ingress {
    rule_no    = 320
    action     = "allow"
    protocol   = "udp"
    cidr_block = "0.0.0.0/0"
    from_port  = 1194
    to_port    = 1194
  }

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = {
    Name = "${local.name}-sosisochnaya-eu-public"
  }
}

resource "aws_subnet" "sosisochnaya_eu_a" {
  provider                = aws.eu_central_1
  vpc_id                  = aws_vpc.eu_central_1.id
  cidr_block              = "10.20.16.0/22"
  availability_zone       = "eu-central-1a"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-sosisochnaya-eu-a"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "sosisochnaya_eu_b" {
  provider                = aws.eu_central_1
  vpc_id                  = aws_vpc.eu_central_1.id
  cidr_block              = "10.20.20.0/22"
  availability_zone       = "eu-central-1b"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-sosisochnaya-eu-b"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "sosisochnaya_eu_c" {
  provider                = aws.eu_central_1
  vpc_id                  = aws_vpc.eu_central_1.id
  cidr_block              = "10.20.24.0/22"
  availability_zone       = "eu-central-1c"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-sosisochnaya-eu-c"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "sosisochnaya_eu_public_a" {
  provider                = aws.eu_central_1
  vpc_id                  = aws_vpc.eu_central_1.id
  cidr_block              = "10.20.0.0/22"
  availability_zone       = "eu-central-1a"
  map_public_ip_on_launch = false
  tags = {
    Name                     = "${local.name}-sosisochnaya-eu-public-a"
    "kubernetes.io/role/elb" = "1"
  }
}

resource "aws_subnet" "sosisochnaya_eu_public_b" {
  provider                = aws.eu_central_1
  vpc_id                  = aws_vpc.eu_central_1.id
  cidr_block              = "10.20.4.0/22"
  availability_zone       = "eu-central-1b"
  map_public_ip_on_launch = false
  tags = {
    Name                     = "${local.name}-sosisochnaya-eu-public-b"
    "kubernetes.io/role/elb" = "1"
  }
}

resource "aws_subnet" "sosisochnaya_eu_public_c" {
  provider                = aws.eu_central_1
  vpc_id                  = aws_vpc.eu_central_1.id
  cidr_block              = "10.20.8.0/22"
  availability_zone       = "eu-central-1c"
  map_public_ip_on_launch = false
  tags = {
    Name                     = "${local.name}-sosisochnaya-eu-public-c"
    "kubernetes.io/role/elb" = "1"
  }
}

resource "aws_internet_gateway" "eu_central_1" {
  provider = aws.eu_central_1
  vpc_id   = aws_vpc.eu_central_1.id
  tags = {
    Name = "${local.name}-eu-central-1"
  }
}

resource "aws_route_table" "eu_central_1_public" {
  provider = aws.eu_central_1
  vpc_id   = aws_vpc.eu_central_1.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.eu_central_1.id
  }

  tags = {
    Name = "${local.name}-eu-central-1-public"
  }
}

resource "aws_route_table_association" "sosisochnaya_eu_public_a" {
  provider       = aws.eu_central_1
  subnet_id      = aws_subnet.sosisochnaya_eu_public_a.id
  route_table_id = aws_route_table.eu_central_1_public.id
}

resource "aws_route_table_association" "sosisochnaya_eu_public_b" {
  provider       = aws.eu_central_1
  subnet_id      = aws_subnet.sosisochnaya_eu_public_b.id
  route_table_id = aws_route_table.eu_central_1_public.id
}

resource "aws_route_table_association" "sosisochnaya_eu_public_c" {
  provider       = aws.eu_central_1
  subnet_id      = aws_subnet.sosisochnaya_eu_public_c.id
  route_table_id = aws_route_table.eu_central_1_public.id
}

resource "aws_eip" "sosisochnaya_eu_public_a_nat" {
  provider = aws.eu_central_1
  domain   = "vpc"
  tags = {
    Name = "${local.name}-sosisochnaya-eu-public-a-nat"
  }
}

resource "aws_nat_gateway" "sosisochnaya_eu_public_a_nat" {
  provider      = aws.eu_central_1
  allocation_id = aws_eip.sosisochnaya_eu_public_a_nat.id
  subnet_id     = aws_subnet.sosisochnaya_eu_public_a.id
  tags = {
    Name = "${local.name}-sosisochnaya-eu-public-a-nat"
  }
  depends_on = [
    aws_internet_gateway.eu_central_1
  ]
}

resource "aws_eip" "sosisochnaya_eu_public_b_nat" {
  provider = aws.eu_central_1
  domain   = "vpc"
  tags = {
    Name = "${local.name}-sosisochnaya-eu-public-b-nat"
  }
}

resource "aws_nat_gateway" "sosisochnaya_eu_public_b_nat" {
  provider      = aws.eu_central_1
  allocation_id = aws_eip.sosisochnaya_eu_public_b_nat.id
  subnet_id     = aws_subnet.sosisochnaya_eu_public_b.id
  tags = {
    Name = "${local.name}-sosisochnaya-eu-public-b-nat"
  }
  depends_on = [
    aws_internet_gateway.eu_central_1
  ]
}

resource "aws_eip" "sosisochnaya_eu_public_c_nat" {
  provider = aws.eu_central_1
  domain   = "vpc"
  tags = {
    Name = "${local.name}-sosisochnaya-eu-public-c-nat"
  }
}

resource "aws_nat_gateway" "sosisochnaya_eu_public_c_nat" {
  provider      = aws.eu_central_1
  allocation_id = aws_eip.sosisochnaya_eu_public_c_nat.id
  subnet_id     = aws_subnet.sosisochnaya_eu_public_c.id
  tags = {
    Name = "${local.name}-sosisochnaya-eu-public-c-nat"
  }
  depends_on = [
    aws_internet_gateway.eu_central_1
  ]
}

resource "aws_route_table" "sosisochnaya_eu_a_rt" {
  provider = aws.eu_central_1
  vpc_id   = aws_vpc.eu_central_1.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.sosisochnaya_eu_public_a_nat.id
  }

  tags = {
    Name = "${local.name}-sosisochnaya-eu-a-rt"
  }
}

resource "aws_route" "sosisochnaya_eu_a_rt_to_10_10_0_0_16" {
  provider               = aws.eu_central_1
  route_table_id         = aws_route_table.sosisochnaya_eu_a_rt.id
  destination_cidr_block = "10.10.0.0/16"
  network_interface_id   = aws_instance.vm_openvpn_aws.primary_network_interface_id
}

resource "aws_route_table_association" "sosisochnaya_eu_a" {
  provider       = aws.eu_central_1
  subnet_id      = aws_subnet.sosisochnaya_eu_a.id
  route_table_id = aws_route_table.sosisochnaya_eu_a_rt.id
}

resource "aws_route_table" "sosisochnaya_eu_b_rt" {
  provider = aws.eu_central_1
  vpc_id   = aws_vpc.eu_central_1.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.sosisochnaya_eu_public_b_nat.id
  }

  tags = {
    Name = "${local.name}-sosisochnaya-eu-b-rt"
  }
}

resource "aws_route" "sosisochnaya_eu_b_rt_to_10_10_0_0_16" {
  provider               = aws.eu_central_1
  route_table_id         = aws_route_table.sosisochnaya_eu_b_rt.id
  destination_cidr_block = "10.10.0.0/16"
  network_interface_id   = aws_instance.vm_openvpn_aws.primary_network_interface_id
}

resource "aws_route_table_association" "sosisochnaya_eu_b" {
  provider       = aws.eu_central_1
  subnet_id      = aws_subnet.sosisochnaya_eu_b.id
  route_table_id = aws_route_table.sosisochnaya_eu_b_rt.id
}

resource "aws_route_table" "sosisochnaya_eu_c_rt" {
  provider = aws.eu_central_1
  vpc_id   = aws_vpc.eu_central_1.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.sosisochnaya_eu_public_c_nat.id
  }

  tags = {
    Name = "${local.name}-sosisochnaya-eu-c-rt"
  }
}

resource "aws_route" "sosisochnaya_eu_c_rt_to_10_10_0_0_16" {
  provider               = aws.eu_central_1
  route_table_id         = aws_route_table.sosisochnaya_eu_c_rt.id
  destination_cidr_block = "10.10.0.0/16"
  network_interface_id   = aws_instance.vm_openvpn_aws.primary_network_interface_id
}

resource "aws_route_table_association" "sosisochnaya_eu_c" {
  provider       = aws.eu_central_1
  subnet_id      = aws_subnet.sosisochnaya_eu_c.id
  route_table_id = aws_route_table.sosisochnaya_eu_c_rt.id
}

resource "aws_security_group" "amazon_rds_for_postgresql" {
  provider    = aws.eu_central_1
  name        = "${local.name}-amazon-rds-for-postgresql"
  description = "Database amazon-rds-for-postgresql"
  vpc_id      = aws_vpc.eu_central_1.id
  tags = {
    Name = "${local.name}-amazon-rds-for-postgresql"
  }
}

resource "aws_security_group" "vm_openvpn_aws" {
  provider    = aws.eu_central_1
  name        = "${local.name}-vm-openvpn-aws"
  description = "VPN gateway vm-openvpn-aws"
  vpc_id      = aws_vpc.eu_central_1.id
  tags = {
    Name = "${local.name}-vm-openvpn-aws"
  }
}

resource "aws_vpc_security_group_ingress_rule" "amazon_rds_for_postgresql_from_amazon_elastic_kubernetes_service_tcp_5432" {
  provider                     = aws.eu_central_1
  security_group_id            = aws_security_group.amazon_rds_for_postgresql.id
  description                  = "access from backend"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_eks_cluster.amazon_elastic_kubernetes_service.vpc_config[0].cluster_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "vm_openvpn_aws_from_peer_vm_openvpn_yandex_cloud_udp_1194" {
  provider          = aws.eu_central_1
  security_group_id = aws_security_group.vm_openvpn_aws.id
  description       = "VPN tunnel"
  ip_protocol       = "udp"
  from_port         = 1194
  to_port           = 1194
  cidr_ipv4         = var.vm_openvpn_aws_peer_cidr
}

resource "aws_vpc_security_group_egress_rule" "vm_openvpn_aws_to_peer_vm_openvpn_yandex_cloud_udp_1194" {
  provider          = aws.eu_central_1
  security_group_id = aws_security_group.vm_openvpn_aws.id
  description       = "VPN tunnel to the peer"
  ip_protocol       = "udp"
  from_port         = 1194
  to_port           = 1194
  cidr_ipv4         = var.vm_openvpn_aws_peer_cidr
}

resource "aws_vpc_security_group_egress_rule" "vm_openvpn_aws_to_internet_tcp_443" {
  provider          = aws.eu_central_1
  security_group_id = aws_security_group.vm_openvpn_aws.id
  description       = "packages and Systems Manager"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "amazon_elastic_kubernetes_service_api" {
  provider          = aws.eu_central_1
  for_each          = toset(var.kubernetes_api_cidrs)
  security_group_id = aws_eks_cluster.amazon_elastic_kubernetes_service.vpc_config[0].cluster_security_group_id
  description       = "Kubernetes API from the operators' networks"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}
