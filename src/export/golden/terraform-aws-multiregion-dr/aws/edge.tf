resource "aws_lb" "application_load_balancer_alb" {
  provider           = aws.region_1_primary
  name               = trimsuffix(substr("${local.name}-application-load-balancer-alb", 0, 32), "-")
  internal           = false
  load_balancer_type = "application"
  subnets = [
    aws_subnet.public_subnet_a.id,
    aws_subnet.public_subnet_b.id,
    aws_subnet.public_subnet_c.id
  ]
  security_groups = [
    aws_security_group.application_load_balancer_alb.id
  ]
  enable_deletion_protection = true
  drop_invalid_header_fields = true

  access_logs {
    bucket  = aws_s3_bucket.region_1_primary_access_logs.id
    prefix  = "alb/application-load-balancer-alb"
    enabled = true
  }

  depends_on = [
    aws_s3_bucket_policy.region_1_primary_access_logs
  ]
  tags = {
    Name = "${local.name}-application-load-balancer-alb"
  }
}

resource "aws_lb_target_group" "application_load_balancer_alb_nginx_ingress" {
  provider    = aws.region_1_primary
  name        = trimsuffix(substr("${local.name}-application-load-balancer-alb-nginx-ingress", 0, 32), "-")
  port        = 443
  protocol    = "HTTPS"
  target_type = "ip"
  vpc_id      = aws_vpc.region_1_primary.id

  health_check {
    enabled  = true
    path     = "/healthz"
    matcher  = "200-399"
    protocol = "HTTPS"
  }
}

data "aws_route53_zone" "route_53" {
  provider     = aws.region_1_primary
  name         = var.dns_zone
  private_zone = false
}

resource "aws_acm_certificate" "application_load_balancer_alb" {
  provider    = aws.region_1_primary
  domain_name = "api.shop.example.com"
  subject_alternative_names = [
    "m.shop.example.com",
    "www.shop.example.com",
    "origin-application-load-balancer-alb.${var.dns_zone}"
  ]
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "application_load_balancer_alb_validation" {
  provider = aws.region_1_primary
  for_each = var.dns_records ? { for o in aws_acm_certificate.application_load_balancer_alb.domain_validation_options : o.domain_name => o } : {}
  zone_id  = data.aws_route53_zone.route_53.zone_id
  name     = each.value.resource_record_name
  type     = each.value.resource_record_type
  records = [
    each.value.resource_record_value
  ]
  ttl             = 60
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "application_load_balancer_alb" {
  provider                = aws.region_1_primary
  certificate_arn         = aws_acm_certificate.application_load_balancer_alb.arn
  validation_record_fqdns = [for r in aws_route53_record.application_load_balancer_alb_validation : r.fqdn]
}

resource "aws_lb_listener" "application_load_balancer_alb_https" {
  provider          = aws.region_1_primary
  load_balancer_arn = aws_lb.application_load_balancer_alb.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.application_load_balancer_alb.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.application_load_balancer_alb_nginx_ingress.arn
  }
}

resource "aws_lb_listener" "application_load_balancer_alb_http" {
  provider          = aws.region_1_primary
  load_balancer_arn = aws_lb.application_load_balancer_alb.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb" "application_load_balancer_dr" {
  provider           = aws.region_2_dr
  name               = trimsuffix(substr("${local.name}-application-load-balancer-dr", 0, 32), "-")
  internal           = false
  load_balancer_type = "application"
  subnets = [
    aws_subnet.public_subnet_2_a.id,
    aws_subnet.public_subnet_2_b.id
  ]
  security_groups = [
    aws_security_group.application_load_balancer_dr.id
  ]
  enable_deletion_protection = true
  drop_invalid_header_fields = true

  access_logs {
    bucket  = aws_s3_bucket.region_2_dr_access_logs.id
    prefix  = "alb/application-load-balancer-dr"
    enabled = true
  }

  depends_on = [
    aws_s3_bucket_policy.region_2_dr_access_logs
  ]
  tags = {
    Name = "${local.name}-application-load-balancer-dr"
  }
}

resource "aws_lb_target_group" "application_load_balancer_dr_nginx_ingress_2" {
  provider    = aws.region_2_dr
  name        = trimsuffix(substr("${local.name}-application-load-balancer-dr-nginx-ingress-2", 0, 32), "-")
  port        = 443
  protocol    = "HTTPS"
  target_type = "ip"
  vpc_id      = aws_vpc.region_2_dr.id

  health_check {
    enabled  = true
    path     = "/healthz"
    matcher  = "200-399"
    protocol = "HTTPS"
  }
}

resource "aws_acm_certificate" "application_load_balancer_dr" {
  provider    = aws.region_2_dr
  domain_name = "api.shop.example.com"
  subject_alternative_names = [
    "m.shop.example.com",
    "www.shop.example.com"
  ]
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "application_load_balancer_dr_validation" {
  provider = aws.region_2_dr
  for_each = var.dns_records ? { for o in aws_acm_certificate.application_load_balancer_dr.domain_validation_options : o.domain_name => o } : {}
  zone_id  = data.aws_route53_zone.route_53.zone_id
  name     = each.value.resource_record_name
  type     = each.value.resource_record_type
  records = [
    each.value.resource_record_value
  ]
  ttl             = 60
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "application_load_balancer_dr" {
  provider                = aws.region_2_dr
  certificate_arn         = aws_acm_certificate.application_load_balancer_dr.arn
  validation_record_fqdns = [for r in aws_route53_record.application_load_balancer_dr_validation : r.fqdn]
}

resource "aws_lb_listener" "application_load_balancer_dr_https" {
  provider          = aws.region_2_dr
  load_balancer_arn = aws_lb.application_load_balancer_dr.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate_validation.application_load_balancer_dr.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.application_load_balancer_dr_nginx_ingress_2.arn
  }
}

resource "aws_lb_listener" "application_load_balancer_dr_http" {
  provider          = aws.region_2_dr
  load_balancer_arn = aws_lb.application_load_balancer_dr.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_wafv2_web_acl" "waf_shield" {
  provider = aws.region_1_primary
  name     = "${local.name}-waf-shield"
  scope    = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "AWSManagedRulesCommonRuleSet"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesCommonRuleSet"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "AWSManagedRulesKnownBadInputsRuleSet"
    priority = 2

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesKnownBadInputsRuleSet"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "AWSManagedRulesAnonymousIpList"
    priority = 3

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesAnonymousIpList"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesAnonymousIpList"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "waf-shield"
    sampled_requests_enabled   = true
  }

  tags = {
    Name = "${local.name}-waf-shield"
  }
}

resource "aws_cloudwatch_log_group" "waf_shield_waf" {
  provider          = aws.region_1_primary
  name              = "aws-waf-logs-${local.name}-waf-shield"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.region_1_primary.arn
}

resource "aws_wafv2_web_acl_logging_configuration" "waf_shield" {
  provider     = aws.region_1_primary
  resource_arn = aws_wafv2_web_acl.waf_shield.arn
  log_destination_configs = [
    aws_cloudwatch_log_group.waf_shield_waf.arn
  ]
}

resource "aws_wafv2_web_acl_association" "waf_shield_application_load_balancer_alb" {
  provider     = aws.region_1_primary
  resource_arn = aws_lb.application_load_balancer_alb.arn
  web_acl_arn  = aws_wafv2_web_acl.waf_shield.arn
}

resource "aws_wafv2_web_acl" "waf_shield_dr" {
  provider = aws.region_2_dr
  name     = "${local.name}-waf-shield-dr"
  scope    = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "AWSManagedRulesCommonRuleSet"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesCommonRuleSet"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "AWSManagedRulesKnownBadInputsRuleSet"
    priority = 2

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesKnownBadInputsRuleSet"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "AWSManagedRulesAnonymousIpList"
    priority = 3

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesAnonymousIpList"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "AWSManagedRulesAnonymousIpList"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "waf-shield-dr"
    sampled_requests_enabled   = true
  }

  tags = {
    Name = "${local.name}-waf-shield-dr"
  }
}

resource "aws_cloudwatch_log_group" "waf_shield_dr_waf" {
  provider          = aws.region_2_dr
  name              = "aws-waf-logs-${local.name}-waf-shield-dr"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.region_2_dr.arn
}

resource "aws_wafv2_web_acl_logging_configuration" "waf_shield_dr" {
  provider     = aws.region_2_dr
  resource_arn = aws_wafv2_web_acl.waf_shield_dr.arn
  log_destination_configs = [
    aws_cloudwatch_log_group.waf_shield_dr_waf.arn
  ]
}

resource "aws_wafv2_web_acl_association" "waf_shield_dr_application_load_balancer_dr" {
  provider     = aws.region_2_dr
  resource_arn = aws_lb.application_load_balancer_dr.arn
  web_acl_arn  = aws_wafv2_web_acl.waf_shield_dr.arn
}

resource "aws_route53_record" "application_load_balancer_alb_origin_a" {
  provider = aws.region_1_primary
  count    = var.dns_records ? 1 : 0
  zone_id  = data.aws_route53_zone.route_53.zone_id
  name     = "origin-application-load-balancer-alb.${var.dns_zone}"
  type     = "A"

  alias {
    name                   = aws_lb.application_load_balancer_alb.dns_name
    zone_id                = aws_lb.application_load_balancer_alb.zone_id
    evaluate_target_health = false
  }
}

resource "aws_acm_certificate" "cloudfront_cdn_cdn" {
  provider          = aws.region_1_primary
  domain_name       = "cloudfront-cdn.${var.dns_zone}"
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "cloudfront_cdn_cdn_validation" {
  provider = aws.region_1_primary
  for_each = var.dns_records ? { for o in aws_acm_certificate.cloudfront_cdn_cdn.domain_validation_options : o.domain_name => o } : {}
  zone_id  = data.aws_route53_zone.route_53.zone_id
  name     = each.value.resource_record_name
  type     = each.value.resource_record_type
  records = [
    each.value.resource_record_value
  ]
  ttl             = 60
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "cloudfront_cdn_cdn" {
  provider                = aws.region_1_primary
  certificate_arn         = aws_acm_certificate.cloudfront_cdn_cdn.arn
  validation_record_fqdns = [for r in aws_route53_record.cloudfront_cdn_cdn_validation : r.fqdn]
}

resource "aws_cloudfront_distribution" "cloudfront_cdn" {
  provider        = aws.region_1_primary
  enabled         = true
  is_ipv6_enabled = true
  comment         = "CDN cloudfront-cdn"
  aliases = [
    "cloudfront-cdn.${var.dns_zone}"
  ]

  origin {
    origin_id   = "application_load_balancer_alb"
    domain_name = "origin-application-load-balancer-alb.${var.dns_zone}"

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols = [
        "TLSv1.2"
      ]
    }
  }

  default_cache_behavior {
    target_origin_id       = "application_load_balancer_alb"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods = [
      "GET",
      "HEAD",
      "OPTIONS"
    ]
    cached_methods = [
      "GET",
      "HEAD"
    ]
    cache_policy_id            = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    response_headers_policy_id = aws_cloudfront_response_headers_policy.cloudfront_cdn.id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate_validation.cloudfront_cdn_cdn.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  tags = {
    Name = "${local.name}-cloudfront-cdn"
  }
}

resource "aws_route53_record" "cloudfront_cdn_a" {
  provider = aws.region_1_primary
  count    = var.dns_records ? 1 : 0
  zone_id  = data.aws_route53_zone.route_53.zone_id
  name     = "cloudfront-cdn.${var.dns_zone}"
  type     = "A"

  alias {
    name                   = aws_cloudfront_distribution.cloudfront_cdn.domain_name
    zone_id                = aws_cloudfront_distribution.cloudfront_cdn.hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "cloudfront_cdn_aaaa" {
  provider = aws.region_1_primary
  count    = var.dns_records ? 1 : 0
  zone_id  = data.aws_route53_zone.route_53.zone_id
  name     = "cloudfront-cdn.${var.dns_zone}"
  type     = "AAAA"

  alias {
    name                   = aws_cloudfront_distribution.cloudfront_cdn.domain_name
    zone_id                = aws_cloudfront_distribution.cloudfront_cdn.hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_cloudfront_response_headers_policy" "cloudfront_cdn" {
  provider = aws.region_1_primary
  name     = "${local.name}-cloudfront-cdn"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }

    xss_protection {
      protection = true
      mode_block = true
      override   = true
    }
  }
}

resource "aws_route53_health_check" "route_53_application_load_balancer_alb" {
  provider          = aws.region_1_primary
  fqdn              = aws_lb.application_load_balancer_alb.dns_name
  port              = 443
  type              = "HTTPS"
  resource_path     = "/healthz"
  failure_threshold = 3
  request_interval  = 30
  tags = {
    Name = "${local.name}-route-53-application-load-balancer-alb"
  }
}

resource "aws_route53_record" "route_53_application_load_balancer_alb_1" {
  provider        = aws.region_1_primary
  count           = var.dns_records ? 1 : 0
  zone_id         = data.aws_route53_zone.route_53.zone_id
  name            = "api.shop.example.com"
  type            = "A"
  set_identifier  = "application_load_balancer_alb"
  health_check_id = aws_route53_health_check.route_53_application_load_balancer_alb.id

  alias {
    name                   = aws_lb.application_load_balancer_alb.dns_name
    zone_id                = aws_lb.application_load_balancer_alb.zone_id
    evaluate_target_health = true
  }

  failover_routing_policy {
    type = "PRIMARY"
  }
}

resource "aws_route53_record" "route_53_application_load_balancer_alb_2" {
  provider        = aws.region_1_primary
  count           = var.dns_records ? 1 : 0
  zone_id         = data.aws_route53_zone.route_53.zone_id
  name            = "m.shop.example.com"
  type            = "A"
  set_identifier  = "application_load_balancer_alb"
  health_check_id = aws_route53_health_check.route_53_application_load_balancer_alb.id

  alias {
    name                   = aws_lb.application_load_balancer_alb.dns_name
    zone_id                = aws_lb.application_load_balancer_alb.zone_id
    evaluate_target_health = true
  }

  failover_routing_policy {
    type = "PRIMARY"
  }
}

resource "aws_route53_record" "route_53_application_load_balancer_alb_3" {
  provider        = aws.region_1_primary
  count           = var.dns_records ? 1 : 0
  zone_id         = data.aws_route53_zone.route_53.zone_id
  name            = "www.shop.example.com"
  type            = "A"
  set_identifier  = "application_load_balancer_alb"
  health_check_id = aws_route53_health_check.route_53_application_load_balancer_alb.id

  alias {
    name                   = aws_lb.application_load_balancer_alb.dns_name
    zone_id                = aws_lb.application_load_balancer_alb.zone_id
    evaluate_target_health = true
  }

  failover_routing_policy {
    type = "PRIMARY"
  }
}

resource "aws_route53_health_check" "route_53_application_load_balancer_dr" {
  provider          = aws.region_1_primary
  fqdn              = aws_lb.application_load_balancer_dr.dns_name
  port              = 443
  type              = "HTTPS"
  resource_path     = "/healthz"
  failure_threshold = 3
  request_interval  = 30
  tags = {
    Name = "${local.name}-route-53-application-load-balancer-dr"
  }
}

resource "aws_route53_record" "route_53_application_load_balancer_dr_1" {
  provider        = aws.region_1_primary
  count           = var.dns_records ? 1 : 0
  zone_id         = data.aws_route53_zone.route_53.zone_id
  name            = "api.shop.example.com"
  type            = "A"
  set_identifier  = "application_load_balancer_dr"
  health_check_id = aws_route53_health_check.route_53_application_load_balancer_dr.id

  alias {
    name                   = aws_lb.application_load_balancer_dr.dns_name
    zone_id                = aws_lb.application_load_balancer_dr.zone_id
    evaluate_target_health = true
  }

  failover_routing_policy {
    type = "SECONDARY"
  }
}

resource "aws_route53_record" "route_53_application_load_balancer_dr_2" {
  provider        = aws.region_1_primary
  count           = var.dns_records ? 1 : 0
  zone_id         = data.aws_route53_zone.route_53.zone_id
  name            = "m.shop.example.com"
  type            = "A"
  set_identifier  = "application_load_balancer_dr"
  health_check_id = aws_route53_health_check.route_53_application_load_balancer_dr.id

  alias {
    name                   = aws_lb.application_load_balancer_dr.dns_name
    zone_id                = aws_lb.application_load_balancer_dr.zone_id
    evaluate_target_health = true
  }

  failover_routing_policy {
    type = "SECONDARY"
  }
}

resource "aws_route53_record" "route_53_application_load_balancer_dr_3" {
  provider        = aws.region_1_primary
  count           = var.dns_records ? 1 : 0
  zone_id         = data.aws_route53_zone.route_53.zone_id
  name            = "www.shop.example.com"
  type            = "A"
  set_identifier  = "application_load_balancer_dr"
  health_check_id = aws_route53_health_check.route_53_application_load_balancer_dr.id

  alias {
    name                   = aws_lb.application_load_balancer_dr.dns_name
    zone_id                = aws_lb.application_load_balancer_dr.zone_id
    evaluate_target_health = true
  }

  failover_routing_policy {
    type = "SECONDARY"
  }
}

resource "aws_guardduty_detector" "region_1_primary" {
  provider = aws.region_1_primary
  enable   = true
}

resource "aws_guardduty_detector" "region_2_dr" {
  provider = aws.region_2_dr
  enable   = true
}

resource "aws_securityhub_account" "region_1_primary" {
  provider = aws.region_1_primary
}

resource "aws_securityhub_account" "region_2_dr" {
  provider = aws.region_2_dr
}
