using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExportCenter.Bot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TicketHandoffKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HandoffKey",
                table: "Tickets",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_HandoffKey",
                table: "Tickets",
                column: "HandoffKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_HandoffKey",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "HandoffKey",
                table: "Tickets");
        }
    }
}
