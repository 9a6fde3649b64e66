progress "collecting into ${dir:-$output}"

# BEGIN GENERATED COMMANDS (from the plugins' evidence specs: test/unit/evidence/collect-sh.test.ts; do not edit by hand)
on any run uname.txt uname -a
on any run mount.txt mount
on any copy files/etc/fstab /etc/fstab
on netbsd run sysctl.txt sysctl hw.machine hw.machine_arch hw.model hw.ncpu hw.physmem64 hw.disknames kern.ostype kern.osrelease
on netbsd copy dmesg.boot /var/run/dmesg.boot
on netbsd run cpuctl-identify.txt cpuctl identify 0
on linux copy proc-cpuinfo.txt /proc/cpuinfo
on linux probe linux-virt.txt systeminformation.system
on netbsd run xl-info.txt xl info
on netbsd run xm-info.txt xm info
on netbsd run xl-dmesg.txt xl dmesg
on netbsd run pkg_info.txt pkg_info
on netbsd copy files/etc/rc.conf /etc/rc.conf
on netbsd run ls-usr-pkg-etc-xen.txt ls -1 /usr/pkg/etc/xen
on netbsd run df.txt df -k
on netbsd copy files/grub/menu.lst /grub/menu.lst
on netbsd copy files/boot/grub/menu.lst /boot/grub/menu.lst
on netbsd copy files/boot.cfg /boot.cfg
on netbsd run sysctl-bootmethod.txt sysctl machdep.bootmethod
on netbsd run ls-usr-pkg.txt ls -1 /usr/pkg
on netbsd copy files/etc/release /etc/release
on netbsd run pcictl-all.txt pcictl pci0 list -b all
on linux run lspci.txt lspci -nn
on netbsd,linux run xl-pci-assignable-list.txt xl pci-assignable-list
on netbsd run_merge ls-kern-xen-pci.txt ls -l /kern/xen/pci
on netbsd run ls-etc.txt ls -1 /etc
on netbsd run ifconfig-l.txt ifconfig -l
on netbsd copy files/etc/ttys /etc/ttys
on netbsd copy files/etc/wscons.conf /etc/wscons.conf
on netbsd copy dmesg-native.boot /var/db/xenready/dmesg-native.boot
on any run_merge ls-paths.txt ls -ld /dev/xencons /dev/xenevt /dev/xsd_kva /etc/ifconfig.bridge0 /etc/rc.d/xenbackendd /etc/rc.d/xencommons /etc/rc.d/xend /etc/rc.d/xendomains /kern/xen /kern/xen/privcmd /kern/xen/xsd_port /netbsd /netbsd-GENERIC /netbsd-GENERIC.gz /netbsd-XEN3PAE_DOM0 /netbsd-XEN3PAE_DOM0.gz /netbsd-XEN3_DOM0 /netbsd-XEN3_DOM0.gz /netbsd.GENERIC /netbsd.backup /netbsd.gz /netbsd.old /onetbsd /sys/firmware/acpi/tables/DMAR /sys/firmware/acpi/tables/IVRS /usr/pkg/etc/xen /usr/pkg/etc/xen/scripts/block /usr/pkg/etc/xen/scripts/vif-bridge /usr/pkg/etc/xen/vif-bridge /usr/pkg/sbin/xl /usr/pkg/share/examples/rc.d/xenbackendd /usr/pkg/share/examples/rc.d/xencommons /usr/pkg/share/examples/rc.d/xend /usr/pkg/share/examples/rc.d/xendomains /xen-debug.gz /xen.gz
on netbsd run_each 'disklabel-{disk}.txt' disks_from_sysctl disklabel '{disk}'
on netbsd run_each 'dkctl-{disk}.txt' disks_from_sysctl dkctl '{disk}' listwedges
on netbsd run_each 'dumpfs-{partition}.txt' ffs_partitions_from_mount dumpfs -s '/dev/r{partition}'
on netbsd run_each 'cksum-{xenkernel}.txt' xen_kernels_from_ls_usr_pkg cksum /xen.gz /xen-debug.gz '/usr/pkg/{xenkernel}/xen.gz' '/usr/pkg/{xenkernel}/xen-debug.gz'
on netbsd run_each 'pcictl-{bus}.txt' pci_buses_from_dmesg pcictl '{bus}' list
on netbsd copy_each 'files/usr/pkg/etc/xen/{domu}' names_from_ls_usr_pkg_etc_xen '/usr/pkg/etc/xen/{domu}'
on netbsd copy_each 'files/etc/ifconfig.{if}' interfaces_from_ls_etc '/etc/ifconfig.{if}'
# END GENERATED COMMANDS
