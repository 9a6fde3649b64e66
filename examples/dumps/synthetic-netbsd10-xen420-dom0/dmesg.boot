[     1.000000] Copyright (c) 1996, 1997, 1998, 1999, 2000, 2001, 2002, 2003,
[     1.000000]     2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013,
[     1.000000]     2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023,
[     1.000000]     2024
[     1.000000]     The NetBSD Foundation, Inc.  All rights reserved.
[     1.000000] Copyright (c) 1982, 1986, 1989, 1991, 1993
[     1.000000]     The Regents of the University of California.  All rights reserved.

[     1.000000] NetBSD 10.0 (XEN3_DOM0) #0: Thu Mar 28 08:33:33 UTC 2024
[     1.000000] 	mkrepro@mkrepro.NetBSD.org:/usr/src/sys/arch/amd64/compile/XEN3_DOM0
[     1.000000] total memory = 1024 MB
[     1.000000] avail memory = 962 MB
[     1.000000] mainbus0 (root)
[     1.000000] hypervisor0 at mainbus0: Xen version 4.20.1
[     1.000000] vcpu0 at hypervisor0
[     1.000000] vcpu0: Intel(R) Xeon(R) CPU           X5460  @ 3.16GHz, id 0x10676
[     1.000000] xenbus0 at hypervisor0: Xen Virtual Bus Interface
[     1.000000] xencons0 at hypervisor0: Xen Virtual Console Driver
[     1.000000] pci0 at hypervisor0 bus 0: configuration mode 1
[     1.000000] isa0 at hypervisor0
[     1.000000] wm0 at pci0 dev 25 function 0: 82574L Gigabit Network Connection (rev. 0x00)
[     1.000000] wm0: Ethernet address 00:25:90:5c:3a:1e
[     1.000000] nvme0 at pci0 dev 29 function 0: vendor 144d product a808 (rev. 0x00)
[     1.000000] nvme0: NVMe 1.3
[     1.000000] nvme0: Samsung SSD 970 EVO Plus 1TB, firmware 2B2QEXM7, serial S4EWNX0N123456A
[     1.000000] ld0 at nvme0 nsid 1
[     1.000000] ipmi0 at mainbus0: IPMI 2.0, KCS at 0xca2, BMC firmware 3.88, serial 0x00000000
[     1.000000] root on wd0a dumps on wd0b
[     2.000000] root file system type: ffs
