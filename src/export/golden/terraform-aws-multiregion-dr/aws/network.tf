resource "aws_vpc" "region_1_primary" {
  provider             = aws.region_1_primary
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {
    Name = "${local.name}-region-1-primary"
  }
}

resource "aws_default_security_group" "region_1_primary" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id
}

resource "aws_cloudwatch_log_group" "region_1_primary_flow_logs" {
  provider          = aws.region_1_primary
  name              = "/aws/vpc/${local.name}-region-1-primary"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.region_1_primary.arn
}

data "aws_iam_policy_document" "region_1_primary_flow_logs" {
  statement {
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams"
    ]
    resources = [
      "${aws_cloudwatch_log_group.region_1_primary_flow_logs.arn}:*"
    ]
  }
}

resource "aws_iam_role_policy" "region_1_primary_flow_logs" {
  provider = aws.region_1_primary
  role     = aws_iam_role.flow_logs.id
  policy   = data.aws_iam_policy_document.region_1_primary_flow_logs.json
}

resource "aws_flow_log" "region_1_primary" {
  provider        = aws.region_1_primary
  vpc_id          = aws_vpc.region_1_primary.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.region_1_primary_flow_logs.arn
  iam_role_arn    = aws_iam_role.flow_logs.arn
}

resource "aws_network_acl" "data_subnet_acl" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id
  subnet_ids = [
    aws_subnet.data_subnet_a.id,
    aws_subnet.data_subnet_b.id,
    aws_subnet.data_subnet_c.id
  ]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.0.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.1.0.0/16"
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
    Name = "${local.name}-data-subnet"
  }
}

resource "aws_network_acl" "private_subnet_acl" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id
  subnet_ids = [
    aws_subnet.private_subnet_a.id,
    aws_subnet.private_subnet_b.id,
    aws_subnet.private_subnet_c.id
  ]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.0.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.1.0.0/16"
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
    Name = "${local.name}-private-subnet"
  }
}

resource "aws_network_acl" "public_subnet_acl" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id
  subnet_ids = [
    aws_subnet.public_subnet_a.id,
    aws_subnet.public_subnet_b.id,
    aws_subnet.public_subnet_c.id
  ]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.0.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.1.0.0/16"
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

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = {
    Name = "${local.name}-public-subnet"
  }
}

resource "aws_subnet" "data_subnet_a" {
  provider                = aws.region_1_primary
  vpc_id                  = aws_vpc.region_1_primary.id
  cidr_block              = "10.0.32.0/22"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-data-subnet-a"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "data_subnet_b" {
  provider                = aws.region_1_primary
  vpc_id                  = aws_vpc.region_1_primary.id
  cidr_block              = "10.0.36.0/22"
  availability_zone       = "us-east-1b"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-data-subnet-b"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "data_subnet_c" {
  provider                = aws.region_1_primary
  vpc_id                  = aws_vpc.region_1_primary.id
  cidr_block              = "10.0.40.0/22"
  availability_zone       = "us-east-1c"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-data-subnet-c"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "private_subnet_a" {
  provider                = aws.region_1_primary
  vpc_id                  = aws_vpc.region_1_primary.id
  cidr_block              = "10.0.16.0/22"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-private-subnet-a"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "private_subnet_b" {
  provider                = aws.region_1_primary
  vpc_id                  = aws_vpc.region_1_primary.id
  cidr_block              = "10.0.20.0/22"
  availability_zone       = "us-east-1b"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-private-subnet-b"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "private_subnet_c" {
  provider                = aws.region_1_primary
  vpc_id                  = aws_vpc.region_1_primary.id
  cidr_block              = "10.0.24.0/22"
  availability_zone       = "us-east-1c"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-private-subnet-c"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "public_subnet_a" {
  provider                = aws.region_1_primary
  vpc_id                  = aws_vpc.region_1_primary.id
  cidr_block              = "10.0.0.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = false
  tags = {
    Name                     = "${local.name}-public-subnet-a"
    "kubernetes.io/role/elb" = "1"
  }
}

resource "aws_subnet" "public_subnet_b" {
  provider                = aws.region_1_primary
  vpc_id                  = aws_vpc.region_1_primary.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "us-east-1b"
  map_public_ip_on_launch = false
  tags = {
    Name                     = "${local.name}-public-subnet-b"
    "kubernetes.io/role/elb" = "1"
  }
}

resource "aws_subnet" "public_subnet_c" {
  provider                = aws.region_1_primary
  vpc_id                  = aws_vpc.region_1_primary.id
  cidr_block              = "10.0.2.0/24"
  availability_zone       = "us-east-1c"
  map_public_ip_on_launch = false
  tags = {
    Name                     = "${local.name}-public-subnet-c"
    "kubernetes.io/role/elb" = "1"
  }
}

resource "aws_internet_gateway" "region_1_primary" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id
  tags = {
    Name = "${local.name}-region-1-primary"
  }
}

resource "aws_route_table" "region_1_primary_public" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.region_1_primary.id
  }

  tags = {
    Name = "${local.name}-region-1-primary-public"
  }
}

resource "aws_route_table_association" "public_subnet_a" {
  provider       = aws.region_1_primary
  subnet_id      = aws_subnet.public_subnet_a.id
  route_table_id = aws_route_table.region_1_primary_public.id
}

resource "aws_route_table_association" "public_subnet_b" {
  provider       = aws.region_1_primary
  subnet_id      = aws_subnet.public_subnet_b.id
  route_table_id = aws_route_table.region_1_primary_public.id
}

resource "aws_route_table_association" "public_subnet_c" {
  provider       = aws.region_1_primary
  subnet_id      = aws_subnet.public_subnet_c.id
  route_table_id = aws_route_table.region_1_primary_public.id
}

resource "aws_eip" "public_subnet_a_nat" {
  provider = aws.region_1_primary
  domain   = "vpc"
  tags = {
    Name = "${local.name}-public-subnet-a-nat"
  }
}

resource "aws_nat_gateway" "public_subnet_a_nat" {
  provider      = aws.region_1_primary
  allocation_id = aws_eip.public_subnet_a_nat.id
  subnet_id     = aws_subnet.public_subnet_a.id
  tags = {
    Name = "${local.name}-public-subnet-a-nat"
  }
  depends_on = [
    aws_internet_gateway.region_1_primary
  ]
}

resource "aws_eip" "public_subnet_b_nat" {
  provider = aws.region_1_primary
  domain   = "vpc"
  tags = {
    Name = "${local.name}-public-subnet-b-nat"
  }
}

resource "aws_nat_gateway" "public_subnet_b_nat" {
  provider      = aws.region_1_primary
  allocation_id = aws_eip.public_subnet_b_nat.id
  subnet_id     = aws_subnet.public_subnet_b.id
  tags = {
    Name = "${local.name}-public-subnet-b-nat"
  }
  depends_on = [
    aws_internet_gateway.region_1_primary
  ]
}

resource "aws_eip" "public_subnet_c_nat" {
  provider = aws.region_1_primary
  domain   = "vpc"
  tags = {
    Name = "${local.name}-public-subnet-c-nat"
  }
}

resource "aws_nat_gateway" "public_subnet_c_nat" {
  provider      = aws.region_1_primary
  allocation_id = aws_eip.public_subnet_c_nat.id
  subnet_id     = aws_subnet.public_subnet_c.id
  tags = {
    Name = "${local.name}-public-subnet-c-nat"
  }
  depends_on = [
    aws_internet_gateway.region_1_primary
  ]
}

resource "aws_route_table" "data_subnet_a_rt" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.public_subnet_a_nat.id
  }

  tags = {
    Name = "${local.name}-data-subnet-a-rt"
  }
}

resource "aws_route_table_association" "data_subnet_a" {
  provider       = aws.region_1_primary
  subnet_id      = aws_subnet.data_subnet_a.id
  route_table_id = aws_route_table.data_subnet_a_rt.id
}

resource "aws_route_table" "data_subnet_b_rt" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.public_subnet_b_nat.id
  }

  tags = {
    Name = "${local.name}-data-subnet-b-rt"
  }
}

resource "aws_route_table_association" "data_subnet_b" {
  provider       = aws.region_1_primary
  subnet_id      = aws_subnet.data_subnet_b.id
  route_table_id = aws_route_table.data_subnet_b_rt.id
}

resource "aws_route_table" "data_subnet_c_rt" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.public_subnet_c_nat.id
  }

  tags = {
    Name = "${local.name}-data-subnet-c-rt"
  }
}

resource "aws_route_table_association" "data_subnet_c" {
  provider       = aws.region_1_primary
  subnet_id      = aws_subnet.data_subnet_c.id
  route_table_id = aws_route_table.data_subnet_c_rt.id
}

resource "aws_route_table" "private_subnet_a_rt" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.public_subnet_a_nat.id
  }

  tags = {
    Name = "${local.name}-private-subnet-a-rt"
  }
}

resource "aws_route_table_association" "private_subnet_a" {
  provider       = aws.region_1_primary
  subnet_id      = aws_subnet.private_subnet_a.id
  route_table_id = aws_route_table.private_subnet_a_rt.id
}

resource "aws_route_table" "private_subnet_b_rt" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.public_subnet_b_nat.id
  }

  tags = {
    Name = "${local.name}-private-subnet-b-rt"
  }
}

resource "aws_route_table_association" "private_subnet_b" {
  provider       = aws.region_1_primary
  subnet_id      = aws_subnet.private_subnet_b.id
  route_table_id = aws_route_table.private_subnet_b_rt.id
}

resource "aws_route_table" "private_subnet_c_rt" {
  provider = aws.region_1_primary
  vpc_id   = aws_vpc.region_1_primary.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.public_subnet_c_nat.id
  }

  tags = {
    Name = "${local.name}-private-subnet-c-rt"
  }
}

resource "aws_route_table_association" "private_subnet_c" {
  provider       = aws.region_1_primary
  subnet_id      = aws_subnet.private_subnet_c.id
  route_table_id = aws_route_table.private_subnet_c_rt.id
}

resource "aws_vpc" "region_2_dr" {
  provider             = aws.region_2_dr
  cidr_block           = "10.1.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {
    Name = "${local.name}-region-2-dr"
  }
}

resource "aws_default_security_group" "region_2_dr" {
  provider = aws.region_2_dr
  vpc_id   = aws_vpc.region_2_dr.id
}

resource "aws_cloudwatch_log_group" "region_2_dr_flow_logs" {
  provider          = aws.region_2_dr
  name              = "/aws/vpc/${local.name}-region-2-dr"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.region_2_dr.arn
}

data "aws_iam_policy_document" "region_2_dr_flow_logs" {
  statement {
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams"
    ]
    resources = [
      "${aws_cloudwatch_log_group.region_2_dr_flow_logs.arn}:*"
    ]
  }
}

resource "aws_iam_role_policy" "region_2_dr_flow_logs" {
  provider = aws.region_2_dr
  role     = aws_iam_role.flow_logs.id
  policy   = data.aws_iam_policy_document.region_2_dr_flow_logs.json
}

resource "aws_flow_log" "region_2_dr" {
  provider        = aws.region_2_dr
  vpc_id          = aws_vpc.region_2_dr.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.region_2_dr_flow_logs.arn
  iam_role_arn    = aws_iam_role.flow_logs.arn
}

resource "aws_network_acl" "data_subnet_2_acl" {
  provider = aws.region_2_dr
  vpc_id   = aws_vpc.region_2_dr.id
  subnet_ids = [
    aws_subnet.data_subnet_2_a.id,
    aws_subnet.data_subnet_2_b.id
  ]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.1.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.0.0.0/16"
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
    Name = "${local.name}-data-subnet-2"
  }
}

resource "aws_network_acl" "private_subnet_2_acl" {
  provider = aws.region_2_dr
  vpc_id   = aws_vpc.region_2_dr.id
  subnet_ids = [
    aws_subnet.private_subnet_2_a.id,
    aws_subnet.private_subnet_2_b.id
  ]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.1.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.0.0.0/16"
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
    Name = "${local.name}-private-subnet-2"
  }
}

resource "aws_network_acl" "public_subnet_2_acl" {
  provider = aws.region_2_dr
  vpc_id   = aws_vpc.region_2_dr.id
  subnet_ids = [
    aws_subnet.public_subnet_2_a.id,
    aws_subnet.public_subnet_2_b.id
  ]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.1.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.0.0.0/16"
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

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = {
    Name = "${local.name}-public-subnet-2"
  }
}

resource "aws_subnet" "data_subnet_2_a" {
  provider                = aws.region_2_dr
  vpc_id                  = aws_vpc.region_2_dr.id
  cidr_block              = "10.1.32.0/21"
  availability_zone       = "us-west-2a"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-data-subnet-2-a"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "data_subnet_2_b" {
  provider                = aws.region_2_dr
  vpc_id                  = aws_vpc.region_2_dr.id
  cidr_block              = "10.1.40.0/21"
  availability_zone       = "us-west-2b"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-data-subnet-2-b"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "private_subnet_2_a" {
  provider                = aws.region_2_dr
  vpc_id                  = aws_vpc.region_2_dr.id
  cidr_block              = "10.1.16.0/21"
  availability_zone       = "us-west-2a"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-private-subnet-2-a"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "private_subnet_2_b" {
  provider                = aws.region_2_dr
  vpc_id                  = aws_vpc.region_2_dr.id
  cidr_block              = "10.1.24.0/21"
  availability_zone       = "us-west-2b"
  map_public_ip_on_launch = false
  tags = {
    Name                              = "${local.name}-private-subnet-2-b"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_subnet" "public_subnet_2_a" {
  provider                = aws.region_2_dr
  vpc_id                  = aws_vpc.region_2_dr.id
  cidr_block              = "10.1.0.0/23"
  availability_zone       = "us-west-2a"
  map_public_ip_on_launch = false
  tags = {
    Name                     = "${local.name}-public-subnet-2-a"
    "kubernetes.io/role/elb" = "1"
  }
}

resource "aws_subnet" "public_subnet_2_b" {
  provider                = aws.region_2_dr
  vpc_id                  = aws_vpc.region_2_dr.id
  cidr_block              = "10.1.2.0/23"
  availability_zone       = "us-west-2b"
  map_public_ip_on_launch = false
  tags = {
    Name                     = "${local.name}-public-subnet-2-b"
    "kubernetes.io/role/elb" = "1"
  }
}

resource "aws_internet_gateway" "region_2_dr" {
  provider = aws.region_2_dr
  vpc_id   = aws_vpc.region_2_dr.id
  tags = {
    Name = "${local.name}-region-2-dr"
  }
}

resource "aws_route_table" "region_2_dr_public" {
  provider = aws.region_2_dr
  vpc_id   = aws_vpc.region_2_dr.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.region_2_dr.id
  }

  tags = {
    Name = "${local.name}-region-2-dr-public"
  }
}

resource "aws_route_table_association" "public_subnet_2_a" {
  provider       = aws.region_2_dr
  subnet_id      = aws_subnet.public_subnet_2_a.id
  route_table_id = aws_route_table.region_2_dr_public.id
}

resource "aws_route_table_association" "public_subnet_2_b" {
  provider       = aws.region_2_dr
  subnet_id      = aws_subnet.public_subnet_2_b.id
  route_table_id = aws_route_table.region_2_dr_public.id
}

resource "aws_eip" "public_subnet_2_a_nat" {
  provider = aws.region_2_dr
  domain   = "vpc"
  tags = {
    Name = "${local.name}-public-subnet-2-a-nat"
  }
}

resource "aws_nat_gateway" "public_subnet_2_a_nat" {
  provider      = aws.region_2_dr
  allocation_id = aws_eip.public_subnet_2_a_nat.id
  subnet_id     = aws_subnet.public_subnet_2_a.id
  tags = {
    Name = "${local.name}-public-subnet-2-a-nat"
  }
  depends_on = [
    aws_internet_gateway.region_2_dr
  ]
}

resource "aws_eip" "public_subnet_2_b_nat" {
  provider = aws.region_2_dr
  domain   = "vpc"
  tags = {
    Name = "${local.name}-public-subnet-2-b-nat"
  }
}

resource "aws_nat_gateway" "public_subnet_2_b_nat" {
  provider      = aws.region_2_dr
  allocation_id = aws_eip.public_subnet_2_b_nat.id
  subnet_id     = aws_subnet.public_subnet_2_b.id
  tags = {
    Name = "${local.name}-public-subnet-2-b-nat"
  }
  depends_on = [
    aws_internet_gateway.region_2_dr
  ]
}

resource "aws_route_table" "data_subnet_2_a_rt" {
  provider = aws.region_2_dr
  vpc_id   = aws_vpc.region_2_dr.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.public_subnet_2_a_nat.id
  }

  tags = {
    Name = "${local.name}-data-subnet-2-a-rt"
  }
}

resource "aws_route_table_association" "data_subnet_2_a" {
  provider       = aws.region_2_dr
  subnet_id      = aws_subnet.data_subnet_2_a.id
  route_table_id = aws_route_table.data_subnet_2_a_rt.id
}

resource "aws_route_table" "data_subnet_2_b_rt" {
  provider = aws.region_2_dr
  vpc_id   = aws_vpc.region_2_dr.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.public_subnet_2_b_nat.id
  }

  tags = {
    Name = "${local.name}-data-subnet-2-b-rt"
  }
}

resource "aws_route_table_association" "data_subnet_2_b" {
  provider       = aws.region_2_dr
  subnet_id      = aws_subnet.data_subnet_2_b.id
  route_table_id = aws_route_table.data_subnet_2_b_rt.id
}

resource "aws_route_table" "private_subnet_2_a_rt" {
  provider = aws.region_2_dr
  vpc_id   = aws_vpc.region_2_dr.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.public_subnet_2_a_nat.id
  }

  tags = {
    Name = "${local.name}-private-subnet-2-a-rt"
  }
}

resource "aws_route_table_association" "private_subnet_2_a" {
  provider       = aws.region_2_dr
  subnet_id      = aws_subnet.private_subnet_2_a.id
  route_table_id = aws_route_table.private_subnet_2_a_rt.id
}

resource "aws_route_table" "private_subnet_2_b_rt" {
  provider = aws.region_2_dr
  vpc_id   = aws_vpc.region_2_dr.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.public_subnet_2_b_nat.id
  }

  tags = {
    Name = "${local.name}-private-subnet-2-b-rt"
  }
}

resource "aws_route_table_association" "private_subnet_2_b" {
  provider       = aws.region_2_dr
  subnet_id      = aws_subnet.private_subnet_2_b.id
  route_table_id = aws_route_table.private_subnet_2_b_rt.id
}

resource "aws_security_group" "aws_elasticache" {
  provider    = aws.region_1_primary
  name        = "${local.name}-aws-elasticache"
  description = "Cache aws-elasticache"
  vpc_id      = aws_vpc.region_1_primary.id
  tags = {
    Name = "${local.name}-aws-elasticache"
  }
}

resource "aws_security_group" "aws_msk" {
  provider    = aws.region_1_primary
  name        = "${local.name}-aws-msk"
  description = "Message queue aws-msk"
  vpc_id      = aws_vpc.region_1_primary.id
  tags = {
    Name = "${local.name}-aws-msk"
  }
}

resource "aws_security_group" "application_load_balancer_alb" {
  provider    = aws.region_1_primary
  name        = "${local.name}-application-load-balancer-alb"
  description = "Load balancer application-load-balancer-alb"
  vpc_id      = aws_vpc.region_1_primary.id
  tags = {
    Name = "${local.name}-application-load-balancer-alb"
  }
}

resource "aws_security_group" "application_load_balancer_dr" {
  provider    = aws.region_2_dr
  name        = "${local.name}-application-load-balancer-dr"
  description = "Load balancer application-load-balancer-dr"
  vpc_id      = aws_vpc.region_2_dr.id
  tags = {
    Name = "${local.name}-application-load-balancer-dr"
  }
}

resource "aws_security_group" "database_replica" {
  provider    = aws.region_2_dr
  name        = "${local.name}-database-replica"
  description = "Database database-replica"
  vpc_id      = aws_vpc.region_2_dr.id
  tags = {
    Name = "${local.name}-database-replica"
  }
}

resource "aws_security_group" "message_queue_replica" {
  provider    = aws.region_2_dr
  name        = "${local.name}-message-queue-replica"
  description = "Message queue message-queue-replica"
  vpc_id      = aws_vpc.region_2_dr.id
  tags = {
    Name = "${local.name}-message-queue-replica"
  }
}

resource "aws_security_group" "aws_rds" {
  provider    = aws.region_1_primary
  name        = "${local.name}-aws-rds"
  description = "Database aws-rds"
  vpc_id      = aws_vpc.region_1_primary.id
  tags = {
    Name = "${local.name}-aws-rds"
  }
}

resource "aws_vpc_security_group_ingress_rule" "aws_elasticache_from_eks_cluster_tcp_6379" {
  provider                     = aws.region_1_primary
  security_group_id            = aws_security_group.aws_elasticache.id
  description                  = "access from recommendation-service, access from user-service"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "aws_msk_from_eks_cluster_tcp_9098" {
  provider                     = aws.region_1_primary
  security_group_id            = aws_security_group.aws_msk.id
  description                  = "access from notification-service, access from order-service, access from recommendation-service"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "application_load_balancer_alb_from_internet_tcp_443" {
  provider          = aws.region_1_primary
  security_group_id = aws_security_group.application_load_balancer_alb.id
  description       = "geo route from route-53"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

data "aws_ec2_managed_prefix_list" "cloudfront_region_1_primary" {
  provider = aws.region_1_primary
  name     = "com.amazonaws.global.cloudfront.origin-facing"
}

resource "aws_vpc_security_group_ingress_rule" "application_load_balancer_alb_from_cdn_tcp_443" {
  provider          = aws.region_1_primary
  security_group_id = aws_security_group.application_load_balancer_alb.id
  description       = "traffic from waf-shield"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront_region_1_primary.id
}

resource "aws_vpc_security_group_ingress_rule" "eks_cluster_from_application_load_balancer_alb_tcp_443" {
  provider                     = aws.region_1_primary
  security_group_id            = aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id
  description                  = "traffic from application-load-balancer-alb"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.application_load_balancer_alb.id
}

resource "aws_vpc_security_group_egress_rule" "application_load_balancer_alb_to_eks_cluster_tcp_443" {
  provider                     = aws.region_1_primary
  security_group_id            = aws_security_group.application_load_balancer_alb.id
  description                  = "to eks-cluster"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "application_load_balancer_dr_from_internet_tcp_443" {
  provider          = aws.region_2_dr
  security_group_id = aws_security_group.application_load_balancer_dr.id
  description       = "geo route from route-53"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "database_replica_from_eks_cluster_dr_tcp_5432" {
  provider                     = aws.region_2_dr
  count                        = var.environment == "prod" ? 1 : 0
  security_group_id            = aws_security_group.database_replica.id
  description                  = "access from inventory-service, access from order-service, access from payment-service, access from user-service"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_eks_cluster.eks_cluster_dr[0].vpc_config[0].cluster_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "eks_cluster_dr_from_application_load_balancer_dr_tcp_443" {
  provider                     = aws.region_2_dr
  count                        = var.environment == "prod" ? 1 : 0
  security_group_id            = aws_eks_cluster.eks_cluster_dr[0].vpc_config[0].cluster_security_group_id
  description                  = "traffic from application-load-balancer-dr"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.application_load_balancer_dr.id
}

resource "aws_vpc_security_group_egress_rule" "application_load_balancer_dr_to_eks_cluster_dr_tcp_443" {
  provider                     = aws.region_2_dr
  count                        = var.environment == "prod" ? 1 : 0
  security_group_id            = aws_security_group.application_load_balancer_dr.id
  description                  = "to eks-cluster-dr"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_eks_cluster.eks_cluster_dr[0].vpc_config[0].cluster_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "message_queue_replica_from_eks_cluster_dr_tcp_9098" {
  provider                     = aws.region_2_dr
  count                        = var.environment == "prod" ? 1 : 0
  security_group_id            = aws_security_group.message_queue_replica.id
  description                  = "access from notification-service, access from order-service, access from recommendation-service"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_eks_cluster.eks_cluster_dr[0].vpc_config[0].cluster_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "aws_rds_from_eks_cluster_tcp_5432" {
  provider                     = aws.region_1_primary
  security_group_id            = aws_security_group.aws_rds.id
  description                  = "access from inventory-service, access from order-service, access from payment-service, access from user-service"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "eks_cluster_api" {
  provider          = aws.region_1_primary
  for_each          = toset(var.kubernetes_api_cidrs)
  security_group_id = aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id
  description       = "Kubernetes API from the operators' networks"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_ingress_rule" "eks_cluster_dr_api" {
  provider          = aws.region_2_dr
  for_each          = var.environment == "prod" ? toset(var.kubernetes_api_cidrs) : toset([])
  security_group_id = aws_eks_cluster.eks_cluster_dr[0].vpc_config[0].cluster_security_group_id
  description       = "Kubernetes API from the operators' networks"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_ingress_rule" "aws_msk_from_replicator_tcp_9098" {
  provider                     = aws.region_1_primary
  security_group_id            = aws_security_group.aws_msk.id
  description                  = "MSK Replicator"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.aws_msk.id
}

resource "aws_vpc_security_group_egress_rule" "aws_msk_to_replicator_tcp_9098" {
  provider                     = aws.region_1_primary
  security_group_id            = aws_security_group.aws_msk.id
  description                  = "MSK Replicator"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.aws_msk.id
}

resource "aws_vpc_security_group_ingress_rule" "message_queue_replica_from_replicator_tcp_9098" {
  provider                     = aws.region_2_dr
  security_group_id            = aws_security_group.message_queue_replica.id
  description                  = "MSK Replicator"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.message_queue_replica.id
}

resource "aws_vpc_security_group_egress_rule" "message_queue_replica_to_replicator_tcp_9098" {
  provider                     = aws.region_2_dr
  security_group_id            = aws_security_group.message_queue_replica.id
  description                  = "MSK Replicator"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.message_queue_replica.id
}
