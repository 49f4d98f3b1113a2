Return-Path: <>
Received: from mx.example.net (mx.example.net [198.51.100.25])
	by mail.example.com (Postfix) with ESMTP id 5E6F7A8B
	for <erik@example.com>; Tue, 07 Apr 2026 09:30:00 +0200 (CEST)
Date: Tue, 07 Apr 2026 09:30:00 +0200
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: erik@example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <202604007.5E6F7A8B@mx.example.net>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="5E6F7A8B.1774007/mx.example.net"

--5E6F7A8B.1774007/mx.example.net
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

Your message could not be delivered.

<gus@example.net>: host store.example.net[203.0.113.25] said: 550 5.4.1 Recipient address rejected: Access denied

--5E6F7A8B.1774007/mx.example.net
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 5E6F7A8B

Final-Recipient: rfc822; gus@example.net
Action: failed
Status: 5.4.1
Remote-MTA: dns; store.example.net
Diagnostic-Code: smtp; 550 5.4.1 Recipient address rejected: Access denied

--5E6F7A8B.1774007/mx.example.net
Content-Type: message/rfc822

Message-ID: <orig-5E6F7A8B@example.com>
Date: Tue, 07 Apr 2026 09:29:55 +0200
From: <erik@example.com>
To: <gus@example.net>
Subject: Offer, second try


--5E6F7A8B.1774007/mx.example.net--
