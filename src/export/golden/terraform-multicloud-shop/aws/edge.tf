resource "aws_instance" "vm_openvpn_aws" {
  provider      = aws.eu_central_1
  ami           = data.aws_ami.ubuntu_eu_central_1.id
  instance_type = var.vpn_instance_type
  subnet_id     = aws_subnet.sosisochnaya_eu_public_a.id
  vpc_security_group_ids = [
    aws_security_group.vm_openvpn_aws.id
  ]
  iam_instance_profile = aws_iam_instance_profile.vpn_instance.name
  source_dest_check    = false
  monitoring           = true
  ebs_optimized        = true

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  root_block_device {
    encrypted = true
  }

  tags = {
    Name = "${local.name}-vm-openvpn-aws"
  }
}

resource "aws_eip" "vm_openvpn_aws" {
  provider = aws.eu_central_1
  domain   = "vpc"
  instance = aws_instance.vm_openvpn_aws.id
  tags = {
    Name = "${local.name}-vm-openvpn-aws"
  }
}

data "aws_ami" "ubuntu_eu_central_1" {
  provider    = aws.eu_central_1
  most_recent = true
  owners = [
    "099720109477"
  ]

  filter {
    name = "name"
    values = [
      "ubuntu/images/hvm-ssd*/ubuntu-noble-24.04-amd64-server-*"
    ]
  }
}
