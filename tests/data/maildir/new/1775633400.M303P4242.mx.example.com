Return-Path: <>
Received: from mx.example.net (mx.example.net [198.51.100.25])
	by mail.example.com (Postfix) with ESMTP id 9C0D1E2F
	for <erik@example.com>; Wed, 08 Apr 2026 09:30:00 +0200 (CEST)
Date: Wed, 08 Apr 2026 09:30:00 +0200
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: erik@example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <202604008.9C0D1E2F@mx.example.net>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="9C0D1E2F.1774008/mx.example.net"

--9C0D1E2F.1774008/mx.example.net
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

Your message could not be delivered.

<hana@example.net>: host store.example.net[203.0.113.25] said: 452 4.2.2 Mailbox over quota, try later

--9C0D1E2F.1774008/mx.example.net
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 9C0D1E2F

Final-Recipient: rfc822; hana@example.net
Action: failed
Status: 4.2.2
Remote-MTA: dns; store.example.net
Diagnostic-Code: smtp; 452 4.2.2 Mailbox over quota, try later

--9C0D1E2F.1774008/mx.example.net
Content-Type: message/rfc822

Message-ID: <orig-9C0D1E2F@example.com>
Date: Wed, 08 Apr 2026 09:29:55 +0200
From: <erik@example.com>
To: <hana@example.net>
Subject: Offer, third try


--9C0D1E2F.1774008/mx.example.net--
