import {Command} from '@oclif/core'

export interface VersionInfo {
  name: string
  version: string
  node: string
  platform: string
  arch: string
}

export default class Version extends Command {
  static override summary = 'Print the version of xenready (the same as --version and -v).'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override enableJsonFlag = true

  async run(): Promise<VersionInfo> {
    await this.parse(Version)
    const {config} = this
    this.log(config.userAgent)
    return {
      name: config.name,
      version: config.version,
      node: process.versions.node,
      platform: config.platform,
      arch: config.arch,
    }
  }
}
