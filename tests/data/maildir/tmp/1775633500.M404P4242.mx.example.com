Return-Path: <>
Date: Wed, 08 Apr 2026 09:31:40 +0200
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
Subject: Undeliv